import Foundation

/// A `deliver:` value read the way the harness routes it (`_resolve_delivery_targets` in
/// `cron/scheduler.py`): comma-separated parts, each `local`, `origin`, `all`, a platform (its
/// home channel), or `platform:target` where the target is a chat id the platform's parser
/// recognises (`-100123`, `-100123:17` for a Telegram topic, `C0123456789` on Slack, …) or a
/// label the host's `channel_directory.json` (with `channel_aliases.json`) resolves.
public struct AgentDeliver: Sendable, Equatable {
    /// The stored text: the parts joined by commas (`local` when empty).
    public var text: String
    /// `platform:label` parts to resolve against the host's channel directory.
    public var labels: [(platform: String, label: String)]
    /// Parts the harness cannot route, each a sentence.
    public var problems: [String]
    /// True when a part is `origin` (a declared job has no originating chat).
    public var usesOrigin: Bool

    public static func == (a: AgentDeliver, b: AgentDeliver) -> Bool { a.text == b.text }

    /// The platforms the harness delivers to (`_KNOWN_DELIVERY_PLATFORMS`).
    public static let platforms = [
        "telegram", "discord", "slack", "whatsapp", "signal", "matrix", "mattermost", "homeassistant", "dingtalk", "feishu",
        "wecom", "wecom_callback", "weixin", "sms", "email", "webhook", "bluebubbles", "qqbot", "yuanbao",
    ]

    /// Reads a deliver value (a list is joined with commas, as the harness does).
    public static func parse(_ raw: String) -> AgentDeliver {
        let parts = raw.split(separator: ",").map { HarnessText.strip(String($0)) }.filter { !$0.isEmpty }
        var out = AgentDeliver(text: parts.isEmpty ? "local" : parts.joined(separator: ","), labels: [], problems: [], usesOrigin: false)
        for part in parts {
            if part == "local" || part.lowercased() == "all" { continue }
            if part == "origin" {
                out.usesOrigin = true
                continue
            }
            if ["local", "origin"].contains(part.lowercased()) {
                out.problems.append(
                    "'\(part)': the harness matches '\(part.lowercased())' in lower case only; write '\(part.lowercased())'")
                continue
            }
            let colon = part.firstIndex(of: ":")
            let platform = String(part[..<(colon ?? part.endIndex)])
            guard platforms.contains(platform.lowercased()) else {
                let hint = Suggest.closest(platform.lowercased(), in: platforms).map { " — did you mean '\($0)'?" } ?? ""
                out.problems.append(
                    "'\(platform)' is not a platform the harness delivers to\(hint); use local, origin, all, a platform (\(platforms.joined(separator: ", "))) or platform:chat_id"
                )
                continue
            }
            guard let colon else { continue }
            let target = String(part[part.index(after: colon)...])
            if HarnessText.strip(target).isEmpty {
                out.problems.append("'\(part)' names no chat after the colon; write \(platform):CHAT_ID or \(platform):LABEL")
            } else if !isExplicit(platform: platform.lowercased(), target) {
                out.labels.append((platform.lowercased(), target))
            }
        }
        return out
    }

    /// Chat ids the harness's `_parse_target_ref` recognises without a directory.
    static func isExplicit(platform: String, _ target: String) -> Bool {
        let t = HarnessText.strip(target)
        func matches(_ pattern: String) -> Bool { t.range(of: pattern, options: .regularExpression) != nil }
        if matches(#"^-?[0-9]+(:[0-9]+)?$"#) { return ["telegram", "discord"].contains(platform) || matches(#"^-?[0-9]+$"#) }
        switch platform {
        case "slack": return matches(#"^[CGD][A-Z0-9]{8,}(:[^\s:]+)?$"#)
        case "matrix": return t.hasPrefix("!") || t.hasPrefix("@") || t.contains(":$")
        case "email": return matches(#"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$"#)
        case "signal", "sms", "whatsapp":
            if matches(#"^\+[0-9]{7,15}$"#) { return true }
            if platform == "signal" && t.hasPrefix("group:") && t.count > 6 { return true }
            return platform == "whatsapp" && matches(#"^[0-9A-Za-z._-]+@(g\.us|s\.whatsapp\.net|lid|broadcast|newsletter)$"#)
        case "feishu": return matches(#"^(oc|ou|on|chat|open)_[-A-Za-z0-9]+(:[-A-Za-z0-9_]+)?$"#)
        case "weixin": return matches(#"^((wxid|gh|v[0-9]+|wm|wb)_[A-Za-z0-9_-]+|[A-Za-z0-9._-]+@chatroom|filehelper)$"#)
        case "yuanbao": return matches(#"^(group|direct):[^:]+$"#)
        default: return false
        }
    }
}

/// The chats a host's harness can name: its `channel_directory.json` with the friendly names
/// of `channel_aliases.json` laid over it (`gateway/channel_directory.py`).
public struct ChannelDirectory: Sendable {
    /// Per platform: each channel's id, name, type and guild.
    var platforms: [String: [(id: String, name: String, type: String?, guild: String?)]] = [:]

    /// Reads the directory and the aliases (either may be nil or malformed: then empty).
    public init(directory: Value?, aliases: Value?) {
        if case .object(let plats)? = directory?["platforms"] {
            for (name, list) in plats {
                guard case .array(let items) = list else { continue }
                platforms[name] = items.compactMap { item in
                    guard let id = item["id"]?.stringValue, let n = item["name"]?.stringValue else { return nil }
                    return (id, n, item["type"]?.stringValue, item["guild"]?.stringValue)
                }
            }
        }
        if case .object(let plats)? = aliases {
            for (platform, map) in plats {
                guard case .object(let ids) = map else { continue }
                for (id, friendly) in ids {
                    guard let name = friendly.stringValue.map(HarnessText.strip), !name.isEmpty else { continue }
                    if let i = platforms[platform, default: []].firstIndex(where: { $0.id == id }) {
                        platforms[platform]?[i].name = name
                    } else {
                        platforms[platform, default: []].append((id, name, id.hasSuffix("@g.us") ? "group" : "dm", nil))
                    }
                }
            }
        }
    }

    /// The id a label resolves to (`resolve_channel_name`), nil when it does not.
    public func resolve(platform: String, label: String) -> String? {
        guard let channels = platforms[platform], !channels.isEmpty else { return nil }
        let raw = HarnessText.strip(label)
        if let exact = channels.first(where: { $0.id == raw }) { return exact.id }
        func norm(_ s: String) -> String { HarnessText.strip(String(s.drop { $0 == "#" })).lowercased() }
        let query = norm(label)
        for c in channels {
            let shown =
                platform == "discord" && c.guild != nil
                ? "#" + c.name : (platform != "discord" && c.type != nil ? "\(c.name) (\(c.type ?? ""))" : c.name)
            if norm(c.name) == query || norm(shown) == query { return c.id }
        }
        if let slash = query.lastIndex(of: "/") {
            let guild = String(query[..<slash]), name = String(query[query.index(after: slash)...])
            if let c = channels.first(where: { ($0.guild ?? "").lowercased() == guild && norm($0.name) == name }) { return c.id }
        }
        let prefixed = channels.filter { norm($0.name).hasPrefix(query) }
        return prefixed.count == 1 ? prefixed[0].id : nil
    }

    /// The names a platform's channels go by, for messages.
    public func names(platform: String) -> [String] { (platforms[platform] ?? []).map(\.name) }
}
