import CommunityModel
import Foundation

extension ValueReport {
    /// The figures as rows (section, measure, value): the CSV export and the tables.
    var rows: [[String]] {
        var rows: [[String]] = [
            ["growth", "members", String(members)], ["growth", "new members", String(newMembers)],
            ["growth", "active members", String(activeMembers)], ["growth", "countries", String(countries)],
            ["growth", "chapters", String(chapters)], ["growth", "events created", String(eventsCreated)],
            ["growth", "registrations", String(registrations)], ["growth", "attendance", String(attendance)],
        ]
        for month in months {
            rows.append(["members by month", month.label, String(month.members)])
            rows.append(["active by month", month.label, String(month.active)])
        }
        for stage in stages {
            rows.append(["engagement by stage", "\(stage.stage.rawValue) members", String(stage.members)])
            rows.append(["engagement by stage", "\(stage.stage.rawValue) active", String(stage.active)])
        }
        rows.append(["questions", "asked", String(questionsAsked)])
        rows.append(["questions", "answered", String(questionsAnswered)])
        rows.append(["questions", "median hours to first answer", medianHoursToFirstAnswer.map(Self.hours) ?? ""])
        rows.append(["questions", "share answered within 24 hours", shareAnsweredWithinDay.map(Self.percent) ?? ""])
        rows.append(["advocacy", "shares", String(shares)])
        rows.append(["advocacy", "referred sign-ups", String(referredSignUps)])
        rows.append(["advocacy", "referred enrolments", String(referredEnrolments)])
        rows.append(["surveys", "NPS", nps.map(String.init) ?? ""])
        rows.append(["surveys", "NPS responses", String(npsResponses)])
        for lift in lifts {
            rows.append(["lift", "\(lift.measure) rate, engaged", Self.percent(lift.engagedRate)])
            rows.append(["lift", "\(lift.measure) rate, comparable not engaged", Self.percent(lift.comparableRate)])
            rows.append(["lift", "\(lift.measure) engaged members", String(lift.engaged)])
            rows.append(["lift", "\(lift.measure) comparable members", String(lift.comparable)])
        }
        return rows
    }

    /// The report as CSV (RFC 4180): a header, then one row per figure.
    public func csv() -> String { CSV.render(header: ["section", "measure", "value"], rows: rows, numberColumns: [2]) }

    /// The report as Markdown.
    public func markdown() -> String {
        let e = MarkdownEscaping.escape
        var lines = ["# \(e(title))", ""]
        if isEmpty {
            lines.append("The community has no members in this scope yet: there is nothing to report.")
            return lines.joined(separator: "\n") + "\n"
        }
        lines.append("## Talking points")
        lines.append("")
        lines += talkingPoints.map { "- \(e($0.text))" }
        lines.append("")
        lines.append("## Figures")
        lines.append("")
        lines.append("| Section | Measure | Value |")
        lines.append("|---|---|---|")
        lines += rows.map { "| \(e($0[0])) | \(e($0[1])) | \(e($0[2])) |" }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The report as one self-contained HTML page with inline SVG charts (members and active
    /// members by month, engagement by stage, the advocacy funnel): no script, no outside resource.
    public func html() -> String {
        let e = HTMLEscaping.escape
        var body = ["<h1 dir=\"auto\">\(e(title))</h1>"]
        if isEmpty {
            body.append("<p>The community has no members in this scope yet: there is nothing to report.</p>")
        } else {
            body.append("<h2>Talking points</h2>")
            body.append("<ul>" + talkingPoints.map { "<li>\(e($0.text))</li>" }.joined() + "</ul>")
            body.append("<h2>Members and active members by month</h2>")
            body.append(Self.lineChart(months))
            body.append("<h2>Engagement by journey stage</h2>")
            body.append(Self.barChart(stages.map { ($0.stage.rawValue, $0.active, $0.members) }))
            body.append("<h2>Advocacy funnel</h2>")
            body.append(
                Self.barChart([
                    ("shares", shares, nil), ("sign-ups", referredSignUps, nil),
                    ("enrolments", referredEnrolments, nil),
                ]))
            body.append("<h2>Figures</h2>")
            body.append(
                "<table><thead><tr><th>Section</th><th>Measure</th><th>Value</th></tr></thead><tbody>"
                    + rows.map { "<tr><td>\(e($0[0]))</td><td>\(e($0[1]))</td><td>\(e($0[2]))</td></tr>" }.joined()
                    + "</tbody></table>")
        }
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(e(title))</title>
            <style>body{font-family:sans-serif;max-width:48em;margin:2em auto}td,th{padding:.2em .6em;text-align:left}</style>
            </head><body><main>
            \(body.joined(separator: "\n"))
            </main></body></html>

            """
    }

    /// Two lines (members, active) over the months, as an SVG element.
    static func lineChart(_ months: [Month]) -> String {
        let (width, height) = (600.0, 200.0)
        let top = Double(max(1, months.map(\.members).max() ?? 1))
        func points(_ value: (Month) -> Int) -> String {
            months.enumerated().map { index, month in
                let x = months.count > 1 ? 40 + Double(index) * (width - 60) / Double(months.count - 1) : width / 2
                let y = height - 30 - Double(value(month)) / top * (height - 50)
                return String(format: "%.1f,%.1f", x, y)
            }.joined(separator: " ")
        }
        let labels = months.enumerated().filter { $0.offset % max(1, months.count / 6) == 0 }.map { index, month in
            let x = months.count > 1 ? 40 + Double(index) * (width - 60) / Double(months.count - 1) : width / 2
            return "<text x=\"\(String(format: "%.1f", x))\" y=\"\(Int(height - 10))\" font-size=\"10\">"
                + "\(HTMLEscaping.escape(month.label))</text>"
        }.joined()
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
            + "role=\"img\" aria-label=\"Members and active members by month\">"
            + "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"\(points { $0.members })\"/>"
            + "<polyline fill=\"none\" stroke=\"#ff7f0e\" stroke-width=\"2\" points=\"\(points { $0.active })\"/>"
            + labels
            + "<text x=\"40\" y=\"14\" font-size=\"11\" fill=\"#1f77b4\">members</text>"
            + "<text x=\"120\" y=\"14\" font-size=\"11\" fill=\"#ff7f0e\">active</text></svg>"
    }

    /// Horizontal bars with their values (and, when given, out of a total), as an SVG element.
    static func barChart(_ bars: [(label: String, value: Int, total: Int?)]) -> String {
        let top = Double(max(1, bars.map { $0.total ?? $0.value }.max() ?? 1))
        let height = 30 * bars.count + 10
        var parts: [String] = []
        for (index, bar) in bars.enumerated() {
            let y = 10 + index * 30
            let width = Double(bar.value) / top * 380
            let text = bar.total.map { "\(bar.value) of \($0)" } ?? String(bar.value)
            parts.append(
                "<text x=\"0\" y=\"\(y + 15)\" font-size=\"12\">\(HTMLEscaping.escape(bar.label))</text>"
                    + "<rect x=\"110\" y=\"\(y)\" width=\"\(String(format: "%.1f", width))\" height=\"20\" fill=\"#2ca02c\"/>"
                    + "<text x=\"\(String(format: "%.1f", 115 + width))\" y=\"\(y + 15)\" font-size=\"12\">\(text)</text>"
            )
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"600\" height=\"\(height)\" role=\"img\">"
            + parts.joined() + "</svg>"
    }
}
