import Foundation
import FuzzHarnesses

/// The replay side of `community-fuzz`: corpus files through a harness, without libFuzzer.
enum Replay {
    static func main(_ arguments: [String]) -> Int32 {
        switch arguments.first {
        case "--list":
            for target in FuzzTargets.all { print("\(target.name): \(target.summary)") }
            return 0
        case "replay" where arguments.count >= 3:
            guard let target = FuzzTargets.named(arguments[1]) else {
                fail("no harness is named \(arguments[1]); community-fuzz --list names them")
                return 2
            }
            var count = 0
            var failures = 0
            for file in files(in: Array(arguments.dropFirst(2))) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    fail("cannot read \(file)")
                    return 2
                }
                count += 1
                do {
                    try target.run(Array(data))
                } catch {
                    failures += 1
                    fail("\(file): \(error)")
                }
            }
            print("\(target.name): \(count) inputs, \(failures) property failures")
            return failures == 0 && count > 0 ? 0 : 1
        case "self-check":
            var failures = 0
            for check in SelfChecks.all {
                if let problem = check.problem() {
                    failures += 1
                    fail("\(check.name): \(problem)")
                } else {
                    print("\(check.name): caught")
                }
            }
            return failures == 0 ? 0 : 1
        default:
            fail("usage: community-fuzz --list | replay TARGET PATH... | self-check")
            return 2
        }
    }

    /// The files named, and the files directly inside the directories named, sorted.
    static func files(in paths: [String]) -> [String] {
        paths.flatMap { path -> [String] in
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                return [path]
            }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return names.filter { !$0.hasPrefix(".") }.sorted().map { path + "/" + $0 }
        }
    }

    static func fail(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
