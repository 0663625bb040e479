// Entry point of the SwiftPM build. The Embedded board build has no CommandLine; it enters
// through EmbeddedEntry.swift instead, and cross/build leaves this file out.
import Platform

ProcessControl.exit(CommandLineInterface.run(CommandLine.arguments))
