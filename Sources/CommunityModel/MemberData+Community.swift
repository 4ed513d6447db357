import Storage

extension MemberDataModule {
    /// The community's own collections: members, chapters, boards, events, referrals, organizer
    /// applications, moderation, the leaders' feedback channel, idempotency keys.
    public static let community = MemberDataModule(
        name: "CommunityModel",
        collections: [
            .records(
                Collections.members, module: "CommunityModel",
                holds: "the profile: name, country, time zone, "
                    + "languages, headline, consents; roles; when they joined",
                found: [.memberID], erasure: .delete),
            .records(
                Collections.contacts, module: "CommunityModel", holds: "the private email",
                found: [.memberID], erasure: .delete, identities: { [$0.value.email] }),
            .records(
                Collections.emails, module: "CommunityModel",
                holds: "the claim on the email (its id is the email), so that no two members share one",
                found: [
                    .ids { store, member in
                        try await store.fetch(member.rawValue, from: Collections.contacts).map { [$0.value.email] }
                            ?? []
                    }
                ],
                erasure: .delete),
            .records(
                Collections.founding, module: "CommunityModel",
                holds: "that the member founded the community (their opaque id only; kept, or anyone could "
                    + "found it again by signing up as staff)",
                found: [.scan { claim, member in claim.member == member }], erasure: .keep),
            .records(
                Collections.enrolments, module: "CommunityModel", holds: "programmes enrolled in and completed",
                found: [.index("member")], erasure: .delete),
            .records(
                Collections.memberships, module: "CommunityModel", holds: "chapters joined, and organized",
                found: [.index("member")], erasure: .delete),
            .records(
                Collections.chapters, module: "CommunityModel",
                holds: "a chapter's organizers (the member's id); erasure takes them off the list",
                found: [.scan { chapter, member in chapter.organizers.contains(member) }],
                erasure: .tombstone { chapter, erasure in chapter.organizers.removeAll { $0 == erasure.member } },
                exported: false),
            .records(
                Collections.threads, module: "CommunityModel",
                holds: "threads they started: the title is erased; the thread stays for the replies of others, "
                    + "by a former member",
                found: [.index("author")], erasure: .tombstone { thread, _ in thread.title = FormerMember.erasedText }),
            .records(
                Collections.posts, module: "CommunityModel",
                holds: "posts they wrote: the text is erased; the post stays in its thread, by a former member",
                found: [.index("author")], erasure: .tombstone { post, _ in post.body = FormerMember.erasedText }),
            .records(
                Collections.reactions, module: "CommunityModel", holds: "reactions they gave",
                found: [.scan { reaction, member in reaction.member == member }], erasure: .delete),
            .records(
                Collections.events, module: "CommunityModel",
                holds: "events they created (title and description erased, the event stays for its registrants) "
                    + "and the rosters they are on (taken off)",
                found: [
                    .scan { event, member in
                        event.createdBy == member || event.attended.contains(member)
                            || event.lanes.values.contains {
                                $0.registered.contains(member) || $0.waitlist.contains(member)
                            }
                    }
                ],
                erasure: .tombstone { event, erasure in
                    let member = erasure.member
                    if event.createdBy == member {
                        event.title = FormerMember.erasedText
                        event.description = ""
                    }
                    event.attended.removeAll { $0 == member }
                    for mode in event.lanes.keys {
                        event.lanes[mode]?.registered.removeAll { $0 == member }
                        event.lanes[mode]?.waitlist.removeAll { $0 == member }
                    }
                },
                // The event is the chapter's, its roster others': their registrations are exported.
                exported: false),
            .records(
                Collections.registrations, module: "CommunityModel", holds: "event registrations",
                found: [.index("member")], erasure: .delete),
            .records(
                Collections.organizerApplications, module: "CommunityModel",
                holds: "applications to organize a chapter, with their stages and the staff's reasons",
                found: [.index("member")], erasure: .delete),
            .records(
                Collections.openApplications, module: "CommunityModel",
                holds: "which application of theirs is open, per chapter",
                found: [.ids(openApplicationIDs)], erasure: .delete),
            .records(
                Collections.standings, module: "CommunityModel",
                holds: "warnings and suspensions, with the moderators' reasons", found: [.memberID], erasure: .delete),
            .records(
                Collections.contentReports, module: "CommunityModel", holds: "posts they reported, with their reason",
                found: [.scan { report, member in report.reportedBy == member }], erasure: .delete),
            .records(
                Collections.shares, module: "CommunityModel",
                holds: "what they shared and its referral code (deleted: the code stops working)",
                found: [.index("advocate")], erasure: .delete),
            .records(
                Collections.attributions, module: "CommunityModel",
                holds: "who referred them (deleted), and members they referred (the code is cleared)",
                found: [.memberID, .index("advocate")],
                erasure: .decide(.tombstone) { attribution, erasure in
                    guard attribution.member != erasure.member else { return .delete }
                    attribution.code = ""
                    return .rewrite
                },
                // Members they referred are those members' data: not in this member's export.
                exportedWhen: { attribution, member in attribution.member == member }),
            .records(
                Collections.unattributed, module: "CommunityModel",
                holds: "referral codes they arrived with that did not count",
                found: [.scan { referral, member in referral.member == member }], erasure: .delete),
            .records(
                Collections.leaderFeedback, module: "CommunityModel",
                holds: "feedback they opened as a leader (deleted), and their answers in others' (text erased)",
                found: [.index("from"), .scan { feedback, member in feedback.answers.contains { $0.by == member } }],
                erasure: .decide(.tombstone) { feedback, erasure in
                    guard feedback.from != erasure.member else { return .delete }
                    for index in feedback.answers.indices where feedback.answers[index].by == erasure.member {
                        feedback.answers[index].body = FormerMember.erasedText
                    }
                    return .rewrite
                }),
            .records(
                Collections.idempotency, module: "CommunityModel",
                holds: "the commands they sent with an idempotency key (names, times, ids)",
                found: [.index("actor")], erasure: .delete),
            .noMemberData("programmes", module: "CommunityModel", holds: "the school's programmes"),
            .noMemberData("boards", module: "CommunityModel", holds: "discussion boards and who may use them"),
            .noMemberData(
                ProjectionRunner.checkpointCollection.name, module: "CommunityModel",
                holds: "projection states: opaque ids and folded facts, rewritten without the member once the "
                    + "projections fold the memberErased entry"),
            .noMemberData(
                ProjectionRunner.chunkCollection, module: "CommunityModel",
                holds: "the parts of large projection states, rewritten with their checkpoints"),
            .noMemberData(
                ProjectionHost.quarantine.name, module: "CommunityModel",
                holds: "log positions a projection could not use, with the reason"),
            .noMemberData(Collections.importMarker.name, module: "CommunityModel", holds: "that an import is running"),
            .noMemberData(
                ErasedIdentities.keys.name, module: "CommunityModel", holds: "the key of the erased identities' hashes"),
            .noMemberData(
                ErasedIdentities.identities.name, module: "CommunityModel",
                holds: "keyed hashes of erased people's emails and school ids (pseudonymous: the key is in the store)"),
        ])

    /// `chapter|member` for every chapter: the open-application claims a member may have.
    private static let openApplicationIDs: @Sendable (any DataStore, MemberID) async throws -> [String] = {
        store, member in
        try await store.fetchAll(Collections.chapters).map { CompositeKey.make($0.value.id, member) }
    }
}
