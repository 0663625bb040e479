// Entry point of the Embedded Swift board build (cross/build compiles this file and not
// main.swift): Embedded Swift has no CommandLine, so the C `main` takes argc and argv itself.
#if hasFeature(Embedded)
import Platform

@_cdecl("main")
func embeddedMain(_ count: Int32, _ values: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
    return CommandLineInterface.run(ProcessControl.arguments(count: count, values: values))
}
#endif
