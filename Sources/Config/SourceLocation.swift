/// Where in a text a problem is: line and column, both counted from 1; the column counts
/// characters (Unicode scalars), not bytes.
public struct SourceLocation: Equatable, Sendable {
    public let line: Int
    public let column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "line \(line), column \(column)" }
}
