// Value report benchmark:
// 1. the per-event cost of keeping the value projection (the Q&A, advocacy, growth and enrolment
//    facts the report is built from) up to date, over the generated log, against the engagement
//    projection on the same events in the same run;
// 2. the report for the whole generated community built from that projection and the members'
//    countries (the member list made before the clock starts, as a store would hand it over);
// 3. the two together: a full rebuild of the report over the log in memory (DECISIONS.md's
//    10-second bar).
// See Benchmarks/README.md.
import BenchmarkSupport
import CommunityModel
import CommunitySimulation
import Foundation
import Leadership

let (events, chunkSize) = logOptions()

var value = ValueProjection()
let fold = try foldBesideEngagement(&value, events: events, chunkSize: chunkSize)
let (total, engagementTime, valueTime) = (fold.events, fold.engagement, fold.projection)
print("value benchmark: \(format(Double(total))) events")
print(
    "engagement projection: \(format(rate(total, engagementTime))) events/s "
        + "(\(String(format: "%.0f", seconds(engagementTime) / Double(total) * 1e9)) ns per event)")
print(
    "value projection:      \(format(rate(total, valueTime))) events/s "
        + "(\(String(format: "%.0f", seconds(valueTime) / Double(total) * 1e9)) ns per event, "
        + "\(String(format: "%.2f", seconds(valueTime))) s for the whole log)")
print("value time / engagement time: " + String(format: "%.2f", fold.ratio) + "×")

// The whole community over the log's year, from the projection and the generated members.
let scale = ActivityLogGenerator.Scale(events: events)
let generator = ActivityLogGenerator(scale: scale)
let members = try (0..<scale.members).map { index in
    (member: ActivityLogGenerator.memberID(index), country: try CountryCode(generator.country(ofMember: index)))
}
let period = DateInterval(start: scale.start, duration: Double(scale.days) * 86_400)
let clock = ContinuousClock()
let start = clock.now
let report = ValueReport(
    title: "The value of our community", period: period, chapter: nil, projection: value, members: members,
    referredEnrolments: 0, nps: nil, chapters: scale.chapters)
let reportTime = clock.now - start
print(
    "report for the whole community: \(String(format: "%.2f", seconds(reportTime))) s "
        + "(\(format(Double(report.members))) members, \(format(Double(report.activeMembers))) active, "
        + "\(format(Double(report.questionsAsked))) questions, \(report.talkingPoints.count) talking points)")
print(
    "full rebuild (fold + report): \(String(format: "%.2f", seconds(valueTime + reportTime))) s")
print("peak memory (VmHWM): \(peakMemoryMB()) MB")
