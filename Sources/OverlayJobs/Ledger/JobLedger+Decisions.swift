import Foundation
import OverlayCore

extension JobLedger {
    /// Records a gate's verdict (a resumed run's new decision replaces the old one) and the
    /// digests of the files it was decided on (path → digest, `GateInputs`).
    public func recordGate(
        run: Int64, step: String, verdict: GateVerdict, inputs: [String: String] = [:], at time: Date
    ) throws(JobsError) {
        let json = String(decoding: (try? JSONEncoder().encode(verdict)) ?? Data("{}".utf8), as: UTF8.self)
        let prints = String(decoding: (try? JSONEncoder().encode(inputs)) ?? Data("{}".utf8), as: UTF8.self)
        try access { db throws(SQLiteError) in
            try db.query(
                "INSERT OR REPLACE INTO gates (run_id, step, accepted, policy, verdict, decided_at, inputs) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    .int(run), .text(step), .int(verdict.accepted ? 1 : 0), .text(verdict.policy.rawValue), .text(json),
                    Self.seconds(time), .text(prints),
                ])
        }
    }

    /// The digests a run's gate step decided on; nil when none were recorded (an older ledger).
    public func gateInputs(run: Int64, step: String) throws(JobsError) -> [String: String]? {
        let text = try access { db throws(SQLiteError) in
            try db.query("SELECT inputs FROM gates WHERE run_id = ? AND step = ?", [.int(run), .text(step)]).first?.first?.text
        }
        return text.flatMap { try? JSONDecoder().decode([String: String].self, from: Data($0.utf8)) }
    }

    /// The gate verdicts of a run, in decision order.
    public func gates(run: Int64) throws(JobsError) -> [GateRecord] {
        let rows = try access { db throws(SQLiteError) in
            try db.query("SELECT step, verdict, decided_at FROM gates WHERE run_id = ? ORDER BY decided_at", [.int(run)])
        }
        return rows.compactMap { row in
            guard let step = row[0].text, let text = row[1].text, let at = Self.date(row[2]),
                let verdict = try? JSONDecoder().decode(GateVerdict.self, from: Data(text.utf8))
            else { return nil }
            return GateRecord(run: run, step: step, verdict: verdict, decidedAt: at)
        }
    }

    /// Records a switch of a promote target; returns its id.
    @discardableResult
    public func recordPromotion(
        playbook: String, kind: PromotionRecord.Kind, run: Int64?, step: String?, target: String, version: Int, previous: Int?,
        at time: Date
    ) throws(JobsError) -> Int64 {
        try access { db throws(SQLiteError) in
            try db.query(
                "INSERT INTO promotions (playbook, kind, run_id, step, target, version, previous, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    .text(playbook), .text(kind.rawValue), .optional(run), .optional(step), .text(target), .int(Int64(version)),
                    .optional(previous.map(Int64.init)), Self.seconds(time),
                ])
            return db.lastInsertRowID
        }
    }

    /// Every switch of the playbook's targets (of one target when named), oldest first, each
    /// with the verdict of the gate of the run that promoted.
    public func promotions(playbook: String, target: String? = nil) throws(JobsError) -> [PromotionRecord] {
        let rows = try access { db throws(SQLiteError) in
            try db.query(
                """
                SELECT p.id, p.kind, p.run_id, p.step, p.target, p.version, p.previous, p.at,
                       (SELECT g.verdict FROM gates g WHERE g.run_id = p.run_id ORDER BY g.decided_at DESC LIMIT 1)
                FROM promotions p WHERE p.playbook = ? AND (? IS NULL OR p.target = ?) ORDER BY p.id
                """, [.text(playbook), .optional(target), .optional(target)])
        }
        return rows.compactMap { row in
            guard let id = row[0].int, let kind = row[1].text.flatMap(PromotionRecord.Kind.init(rawValue:)), let target = row[4].text,
                let version = row[5].int, let at = Self.date(row[7])
            else { return nil }
            let verdict = row[8].text.flatMap { try? JSONDecoder().decode(GateVerdict.self, from: Data($0.utf8)) }
            return PromotionRecord(
                id: id, playbook: playbook, kind: kind, run: row[2].int, step: row[3].text, target: target, version: Int(version),
                previous: row[6].int.map { Int($0) }, at: at, gateSummary: verdict.map { "\($0.word): \($0.reason)" })
        }
    }

    /// The digest recorded for `path` when `step` of `playbook` last finished `done`.
    public func fingerprint(playbook: String, step: String, path: String) throws(JobsError) -> String? {
        try access { db throws(SQLiteError) in
            try db.query(
                "SELECT digest FROM fingerprints WHERE playbook = ? AND step = ? AND path = ?", [.text(playbook), .text(step), .text(path)]
            ).first?.first?.text
        }
    }

    /// Records the digest of `path` for the next `changed:` decision.
    public func setFingerprint(playbook: String, step: String, path: String, digest: String, run: Int64) throws(JobsError) {
        try access { db throws(SQLiteError) in
            try db.query(
                "INSERT OR REPLACE INTO fingerprints (playbook, step, path, digest, run_id) VALUES (?, ?, ?, ?, ?)",
                [.text(playbook), .text(step), .text(path), .text(digest), .int(run)])
        }
    }
}
