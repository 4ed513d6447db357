import Foundation
// Runs one fuzz harness (issue 27). Built by `scripts/fuzz` with `-sanitize=fuzzer -DFUZZING`, it is
// a libFuzzer binary: the harness is named by COMMUNITY_FUZZ_TARGET and libFuzzer reads its own
// options. Built normally (as `swift test` builds it), it replays files through a harness:
//
//     community-fuzz --list
//     community-fuzz replay TARGET FILE-OR-DIRECTORY...
//     community-fuzz self-check
//     community-fuzz seed DIRECTORY        (starting inputs from a small simulated community)
//
// Not a product.
import FuzzHarnesses

#if FUZZING
    @_silgen_name("LLVMFuzzerRunDriver")
    func runDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    /// The harness libFuzzer calls; a property that does not hold is a crash it reports and saves.
    nonisolated(unsafe) var selected: FuzzTarget?

    @_cdecl("LLVMFuzzerTestOneInput")
    func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        guard let target = selected else { return 0 }
        let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
        do {
            try target.run(bytes)
        } catch {
            fatalError("\(target.name): \(error)")
        }
        return 0
    }

    if CommandLine.arguments.dropFirst().first == "--list" {
        for target in FuzzTargets.all { print(target.name) }
        exit(0)
    }
    let name = ProcessInfo.processInfo.environment["COMMUNITY_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTargets.named(name) else {
        FileHandle.standardError.write(
            Data(
                "COMMUNITY_FUZZ_TARGET must name one of: \(FuzzTargets.all.map(\.name).joined(separator: ", "))\n".utf8)
        )
        exit(2)
    }
    selected = target
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(runDriver(&argc, &argv, testOneInput))
#else
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.first == "seed", arguments.count == 2 {
        do {
            let count = try await Seeds.write(to: URL(fileURLWithPath: arguments[1]))
            print("\(count) seeds written to \(arguments[1])")
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("seeding failed: \(error)\n".utf8))
            exit(1)
        }
    }
    exit(Replay.main(arguments))
#endif
