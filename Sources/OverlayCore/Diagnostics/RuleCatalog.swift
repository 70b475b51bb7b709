/// Every validation rule overlay reports, declared once: its id (`family.name`), family,
/// severity and a one-line summary. `docs/rules.md` documents each one (a test keeps the
/// two equal), SARIF output lists them as the tool's rules, and a diagnostic with an id
/// that is not here fails the tests (`Diagnostic.init` asserts it in debug builds).
public enum RuleCatalog {
    /// The rules, grouped by family in the order `docs/rules.md` documents them.
    public static let all: [Rule] = [
        Rule(
            "yaml.syntax", .error,
            "The parser's own error (unclosed bracket, bad indentation, *alias with no anchor before it, a trailing comma in JSON), at the position the parser…"
        ),
        Rule(
            "json.syntax", .error,
            "The parser's own error (unclosed bracket, bad indentation, *alias with no anchor before it, a trailing comma in JSON), at the position the parser…"
        ),
        Rule("yaml.duplicate-key", .error, "A key repeated in one mapping."),
        Rule("json.duplicate-key", .error, "A key repeated in one mapping."),
        Rule("yaml.tab-indent", .error, "A tab in the indentation of the line where parsing failed."),
        Rule("yaml.encoding", .error, "Bytes that are not UTF-8 (points at the first bad byte), or a UTF-16 file."),
        Rule("json.encoding", .error, "Bytes that are not UTF-8 (points at the first bad byte), or a UTF-16 file."),
        Rule("yaml.bom", .warning, "A UTF-8 byte-order mark at the start."),
        Rule("json.bom", .warning, "A UTF-8 byte-order mark at the start."),
        Rule("yaml.depth", .error, "Nesting deeper than 100 levels (e.g. 10,000 [)."),
        Rule("json.depth", .error, "Nesting deeper than 100 levels (e.g. 10,000 [)."),
        Rule("yaml.alias-limit", .error, "Aliases that expand to more than 1,000,000 nodes in total (the billion-laughs pattern)."),
        Rule("yaml.multi-document", .error, "A second --- document in one file."),
        Rule(
            "yaml.too-large", .error,
            "A file over 16 MiB (e.g. a 100 MB scalar), measured through a symlink (the target's size, not the link's)."),
        Rule(
            "json.too-large", .error,
            "A file over 16 MiB (e.g. a 100 MB scalar), measured through a symlink (the target's size, not the link's)."),
        Rule(
            "yaml.unreadable", .error,
            "The file cannot be opened, or the entry is not a regular file, and the message says what it is: a FIFO (named pipe), a socket, a device, a broken…"
        ),
        Rule(
            "json.unreadable", .error,
            "The file cannot be opened, or the entry is not a regular file, and the message says what it is: a FIFO (named pipe), a socket, a device, a broken…"
        ),
        Rule("yaml.symlink-escape", .error, "A symlink in the repo whose target is outside the repo."),
        Rule("json.symlink-escape", .error, "A symlink in the repo whose target is outside the repo."),
        Rule(
            "schema.unknown-key", .errorOrWarning,
            "A key the harness does not know, judged against its key catalog (policy/harness-keys.json, every key of the harness's default config from config…"
        ),
        Rule(
            "schema.removed-key", .warning,
            "A key that a harness migration removed at or before the file's _config_version (a file without one is read as current), e.g.…"),
        Rule("schema.invalid-catalog", .error, "policy/harness-keys.json exists and is JSON but is not a key catalog."),
        Rule(
            "schema.type", .error,
            "A value of the wrong type: a list where a mapping is expected, a word where a number is expected (compression.threshold: high), a quoted boolean…"
        ),
        Rule("schema.enum", .error, "A value outside the allowed list (terminal.backend: dokcer, display.busy_input_mode: queu)."),
        Rule("schema.const", .error, "A value that must be exactly one thing and is not."),
        Rule(
            "schema.range", .error,
            "A number below minimum/above maximum (or on an exclusive bound), not a multipleOf, a string too short/long (counted in Unicode scalars), a list…"
        ),
        Rule(
            "schema.required", .error, "A mapping lacks a required key (or a key that another present key depends on, dependentRequired)."),
        Rule(
            "schema.pattern", .error,
            "A string that does not match the schema's pattern (searched anywhere in the string, as ECMA-262 does)."),
        Rule("schema.unique-items", .error, "A list with uniqueItems repeats a value (1 and 1.0 count as the same)."),
        Rule(
            "schema.contains", .error, "A list has fewer (or more) items of the kind contains asks for than minContains/maxContains allow."),
        Rule("schema.not", .error, "A value has a form the schema excludes with not."),
        Rule(
            "schema.any-of", .error,
            "A value fits none of the anyOf alternatives and no single alternative clearly fits; the message lists why each one failed."),
        Rule(
            "schema.one-of", .error,
            "As schema.any-of for oneOf; also when a value fits more than one alternative where exactly one is allowed."),
        Rule(
            "schema.deprecated", .warning,
            "A key whose schema says deprecated: true, e.g. the top-level toolsets, which the harness ignores."),
        Rule(
            "schema.missing", .error, "No policy/config.schema.json: config.yaml would go unchecked (SPEC §2: every overlay repo has it)."),
        Rule("schema.missing-config", .error, "policy/config.schema.json exists but config.yaml does not."),
        Rule(
            "schema.invalid-schema", .errorOrWarning,
            "The schema file itself is broken: an unknown type name, an invalid regular expression, a $ref that points nowhere or a non-local $ref, a keyword…"
        ),
        Rule(
            "policy.banned-provider", .error,
            "A banned provider *named* where a provider is named: any provider: key, model/default (including vendor-prefixed model names such as…"
        ),
        Rule(
            "policy.remote-base-url", .error,
            "A base_url whose host is not loopback (127/8, ::1, localhost), private (10/8, 172.16/12, 192.168/16, fc00::/7) or listed in allowed_remote_hosts…"
        ),
        Rule("policy.unknown-tts-provider", .error, "tts.provider not in known_tts_providers."),
        Rule("policy.unknown-stt-provider", .error, "stt.provider not in known_stt_providers."),
        Rule(
            "policy.plaintext-secret", .error,
            "(1) A literal value under a secret-named key (api_key, token, password, *_token, *_api_key, sudo_password, …) in any parsed YAML/JSON file…"
        ),
        Rule("policy.syntax", .error, "policy/providers.yaml itself is malformed (unknown key, wrong types)."),
        Rule(
            "policy.missing", .error,
            "No policy/providers.yaml: without it nothing would be banned and the scan would use default settings (SPEC §2: every overlay repo has it)."
        ),
        Rule(
            "inventory.syntax", .error,
            "The inventory is not a mapping of groups (a list, empty, an inventory-plugin config); a group, hosts:, children: or vars: that is not a mapping…"
        ),
        Rule(
            "inventory.cycle", .error,
            "A group that would become its own ancestor through children: (also a group listed as its own child)."),
        Rule(
            "inventory.not-a-group", .error,
            "A name under children: that is a host of the inventory, or a child whose value is not a group definition (e.g. a list)."),
        Rule(
            "inventory.unknown-vars-file", .warning,
            "A file in group_vars/ or host_vars/ for a group or host the inventory does not define (Ansible never reads it), with a \"did you mean\"; a…"
        ),
        Rule(
            "inventory.host-range", .error,
            "A host key whose range cannot be expanded: web[01:100] (padded begin and end of different lengths), db-[c:a] (reversed letters), web[1:] (no end)…"
        ),
        Rule(
            "inventory.connection-type", .error,
            "A connection variable of the wrong type, wherever it is defined: ansible_connection other than local/ssh (overlay's transports) or not a string…"
        ),
        Rule("inventory.var-type", .error, "golden_state_providers that is not a list of strings; overlay_crontab that is not a string."),
        Rule("inventory.group-priority", .error, "Inline ansible_group_priority that is not an integer (Ansible fails on it)."),
        Rule(
            "inventory.unknown-key", .warning,
            "A key other than hosts, vars, children in a group (Ansible skips it), with a \"did you mean\"."),
        Rule(
            "inventory.shadowed-vars-file", .warning,
            "A vars file Ansible never reads although its name matches: only the first of NAME (file or folder), NAME.yml, NAME.yaml, NAME.json is read, so…"
        ),
        Rule(
            "playbook.syntax", .error,
            "Wrong shapes: files not a list, an entry without dest or with both src and template, a deadman block missing stamp/restart, link not a boolean, a…"
        ),
        Rule(
            "playbook.unknown-key", .error,
            "A key the golden state, a file entry, the deadman block, a handler, a job playbook or a job does not know; suggests the closest."
        ),
        Rule(
            "playbook.missing-source", .error,
            "A src/template/cron file that is not in the repo (suggests a near name), is absolute or uses .., or is a symlink leaving the repo; a src or…"
        ),
        Rule("playbook.dest-outside-home", .error, "A rendered dest outside every declared home, or one containing ..."),
        Rule("playbook.protected-path", .error, "A rendered dest inside a protected path."),
        Rule("playbook.system-home", .error, "A home that is / or a system folder (lists below), for a host."),
        Rule("playbook.home-holds-state-dir", .error, "A home that contains overlay's state dir for the host, or lies inside it."),
        Rule(
            "playbook.dest-in-state-dir", .error,
            "A rendered dest inside the host's state dir, or one of its parent folders (a file there would corrupt current, managed.json or the lock, or stop…"
        ),
        Rule(
            "playbook.secret-reference", .error,
            "${secret:NAME} in a handler's run, the deadman's restart or alert, or a job step's run or env value (job playbooks), as written (at the $) or…"
        ),
        Rule(
            "playbook.unreadable-secret", .applyError,
            "A ${secret:NAME} whose file exists but cannot be a secret: a folder, a FIFO, a socket or a device (\"is a folder, not a file\" — a FIFO is never…"
        ),
        Rule(
            "playbook.undefined-variable", .error,
            "A {{ name }} that the host's inventory variables do not define — in site.yaml, in a template source (reported at the reference in the template…"
        ),
        Rule("playbook.template-syntax", .error, "{{ never closed, an empty expression, or a filter ({{ x \\"),
        Rule("playbook.template-output", .error, "A template whose destination is YAML/JSON does not parse once rendered for a host."),
        Rule("playbook.secret-name", .error, "${secret:NAME} with characters other than letters, digits, _, -, .."),
        Rule("playbook.missing-secret", .applyError, "A ${secret:NAME} with neither $OVERLAY_SECRETS_DIR/NAME nor OVERLAY_SECRET_NAME."),
        Rule("playbook.mode", .error, "mode: that is not octal permission bits."),
        Rule("playbook.duplicate-dest", .error, "Two file entries write the same destination."),
        Rule("playbook.path", .error, "A home, protected path or dest that is not absolute after ~ expansion, or that holds an invisible byte-order mark (U+FEFF)."),
        Rule(
            "playbook.duration", .error,
            "A duration (max_age, every, a handler's or a job step's timeout) that is not a number with the unit s, m, h or d (30s, 5m, 4h, 1d) or a bare…"
        ),
        Rule("playbook.unknown-watch", .warning, "A handler's on_change path that no file entry manages: it could never fire."),
        Rule("playbook.no-hosts", .warning, "A hosts: pattern that matches no inventory host."),
        Rule("playbook.no-inventory", .warning, "No inventory: templates cannot be checked per host."),
        Rule("playbook.unknown-job", .error, "A job's needs names no job of the playbook (suggests the closest)."),
        Rule("playbook.job-cycle", .error, "Jobs that need each other in a cycle; the message shows it (a → c → b → a)."),
        Rule("playbook.too-many-jobs", .error, "A job playbook with more than 1,000 jobs, reported at its jobs: key; its jobs are not read further."),
        Rule("playbook.duplicate-name", .error, "Two job playbooks with the same name (name:, else the file's base name); reported at the later file's name: (or its top), naming the first."),
        Rule("playbook.gate", .error, "A gate without policy, or an unknown policy."),
        Rule("soul.missing", .error, "No SOUL.md at the repo root."),
        Rule("soul.empty", .error, "SOUL.md is empty or whitespace."),
        Rule("soul.encoding", .error, "SOUL.md is not valid UTF-8 (points at the first bad byte)."),
        Rule("soul.too-large", .error, "SOUL.md is over the 16 MiB file limit (the message gives its real size)."),
        Rule(
            "soul.unreadable", .error,
            "SOUL.md is a folder, a FIFO, a socket, a device or a broken link (the message says which), or cannot be opened."),
        Rule(
            "cron.syntax", .error,
            "a schedule Debian's cron cannot read: wrong number of fields (a seconds or year field), L, W, #, ?, @every, an unknown or wrongly-cased macro…"
        ),
        Rule(
            "cron.range", .error,
            "a value outside its field (minute 0–59, hour 0–23, day 1–31, month 1–12, weekday 0–7), a reversed range (30-10, fri-mon), a step of 0"
        ),
        Rule("cron.never-fires", .error, "no date satisfies the day and month fields (0 0 30 2 *, 0 0 31 4,6,9,11 *)"),
        Rule(
            "cron.day-quirk", .warning,
            "a day field starting with * but restricted (*/2) together with a restricted other day field — both must match, not either; or a day field covering…"
        ),
        Rule(
            "cron.percent", .error,
            "an unescaped % in a command (cron ends the command there and feeds the rest to stdin) — as written, or once a host's {{ var }} is substituted (the…"
        ),
        Rule(
            "cron.newline", .error,
            "a newline, carriage return or NUL in a schedule, command or env value (the rest would become another crontab line) — as written, or in a host's…"
        ),
        Rule("cron.duplicate-name", .error, "two jobs with the same name, in any cron files (the managed block is keyed by name)"),
        Rule("cron.name", .error, "a job name not matching [a-z0-9][a-z0-9_-]*"),
        Rule(
            "cron.unknown-key", .error, "a key other than jobs at the top, or other than name, schedule, command, user, env, hosts in a job"
        ),
        Rule("cron.required", .error, "a job without name, schedule or command, or with an empty command"),
        Rule(
            "cron.type", .error,
            "a value of the wrong type: the file not a mapping, jobs not a list, a job not a mapping, a non-string name/schedule/command/user (e.g. unquoted…"
        ),
        Rule("cron.env", .error, "an env key that is not a valid variable name"),
        Rule(
            "cron.line-too-long", .error,
            "a job whose crontab command field — export K='v' …;  for its env, then the command, exactly as the crontab line is written — is over 998 bytes…"
        ),
        Rule(
            "cron.secret-reference", .error,
            "${secret:NAME} in a command or an env value (at the $), or brought into a command by a host's variable (naming the host)."),
        Rule(
            "cron.empty-file", .warning,
            "a cron file listed in playbooks/site.yaml that says nothing — no bytes, only comments, null, or jobs: without a value — while the host gets no…"
        ),
        Rule("cron.unknown-hosts", .error, "a hosts: pattern that matches no host of the inventory (only when the repo has an inventory)"),
        Rule(
            "pull.signature", .error,
            "--verify-signatures: the commit is unsigned, signed with a key the allowed-signers file does not list, signed for another namespace, or its…"
        ),
        Rule(
            "pull.tree", .error,
            "The commit's tree holds an entry overlay will not write: a .git entry, .., a symlink leaving the tree, a submodule, or a file or tree over the…"
        ),
        Rule("pull.rejected", .error, "Any other refusal of a fetched commit, recorded with its reason."),
        Rule(
            "playbook.deadman-every", .error,
            "A deadman every that cron cannot keep exactly (90s, 7m, 5h): the check is installed as a cron entry, and cron's steps restart at each hour and day."
        ),
        Rule(
            "playbook.stamp-world-writable", .warning,
            "A deadman stamp inside a folder every local user can write (/tmp, /var/tmp, /dev/shm, /run/shm, /var/lock, /run/lock): anyone could create the…"
        ),
        Rule(
            "playbook.when", .error,
            "A job's when: that is not a mapping; min_examples without dataset (or the other way round), or not a whole number ≥ 0."),
        Rule(
            "playbook.provenance-policy", .error,
            "A job with provenance: in a repo whose policy/data.yaml lists no consent_levels (or does not exist): no record could pass."),
        Rule(
            "playbook.schedule-repo", .warning,
            "A job playbook with a schedule: targets an SSH host without overlay_repo: its cron entry needs the path of the repo checkout on that host, so none…"
        ),
        Rule(
            "agentjobs.schedule", .error,
            "a schedule the harness refuses: not every N{m,h,d}, not five to seven numeric cron fields croniter accepts (0 9 * * mon — the harness has no…"
        ),
        Rule(
            "agentjobs.relative-once", .error,
            "a bare duration (30m, 2h): the harness reads it as once, that long after the job is created — every apply would mean another time"
        ),
        Rule("agentjobs.every-zero", .warning, "every 0m: the harness runs it on every tick of its scheduler"),
        Rule(
            "agentjobs.deliver", .error,
            "a deliver part the harness cannot route: an unknown platform (did-you-mean), Local/Origin (matched in lower case only), platform: with nothing…"
        ),
        Rule(
            "agentjobs.deliver-origin", .warning,
            "deliver: origin: a declared job was created in no chat, so the harness falls back to the first platform with a home channel"),
        Rule(
            "agentjobs.script", .error,
            "a script the harness would not run on that host: it resolves outside <hermes home>/scripts/, no file entry of the golden state installs it there…"
        ),
        Rule(
            "agentjobs.duplicate-name", .error,
            "two jobs a host gets with names equal without regard to case (the harness finds jobs by name that way)"),
        Rule("agentjobs.no-agent", .error, "no_agent: true without a script"),
        Rule("agentjobs.required", .error, "a job without name or schedule, or with nothing to run (no prompt, skills or script)"),
        Rule("agentjobs.ignored-field", .warning, "prompt, model, provider, base_url, skills or toolsets on a no_agent job"),
        Rule("agentjobs.name", .error, "a name with a control character (newline, tab, NUL), an empty name, or one over 200 characters"),
        Rule("agentjobs.control-character", .error, "a NUL in a prompt"),
        Rule(
            "agentjobs.lifecycle-command", .error,
            "a prompt that restarts or stops the harness's own gateway (hermes gateway restart, systemctl … restart hermes-gateway, pkill … hermes … gateway)…"
        ),
        Rule(
            "agentjobs.secret", .error,
            "a ${secret:NAME} reference in a job: overlay resolves secrets only in template files, and a job's fields are stored in the harness's jobs.json and…"
        ),
        Rule("agentjobs.workdir", .error, "a workdir that is not absolute (~/ allowed)"),
        Rule(
            "agentjobs.unknown-key", .error,
            "a key other than agent_jobs at the top, or other than name, prompt, script, no_agent, schedule, model, provider, base_url, skills, deliver…"
        ),
        Rule(
            "agentjobs.type", .error,
            "a value of the wrong shape: the file not a mapping, agent_jobs not a list, a job not a mapping, no_agent/enabled not true or false…"
        ),
        Rule("agentjobs.unknown-hosts", .error, "a hosts: pattern that matches no inventory host"),
        Rule("agentjobs.no-home", .error, "agent_jobs: in a golden state with no home named hermes"),
        Rule(
            "agentjobs.timezone", .warning,
            "the host's config.yaml timezone: is not an IANA zone name (the harness ignores it and uses the machine's local time)"),
        Rule(
            "yaml.tag", .error,
            "A tag PyYAML's SafeLoader and Ansible cannot construct, so Ansible refuses the file: an unknown tag (!custom, !Ref), !!binary, a scalar tagged…"
        ),
        Rule(
            "yaml.value", .error,
            "A plain value PyYAML resolves to a type it then cannot build: a timestamp that is no real date or time (2001-02-30, hour 25, a UTC offset of 24…"
        ),
        Rule("yaml.merge-key", .error, "A merge key << whose value is not a mapping or a list of mappings (<<: *a_scalar, <<: empty)."),
        Rule(
            "inventory.vault-encrypted", .error,
            "A vars file (or the inventory itself) encrypted whole with ansible-vault encrypt: overlay never decrypts Ansible Vault, and Ansible too refuses it…"
        ),
        Rule(
            "inventory.host-limit", .error,
            "More than 100,000 hosts, 1,000,000 host listings (a range counted expanded each time it is listed) or 64 MiB of host names in one inventory."
        ),
        Rule(
            "inventory.host-name", .error,
            "A host name with whitespace, a line break or another control character: overlay writes host names into crontab block markers (one token on one…"
        ),
        Rule(
            "playbook.vault-value", .error,
            "A {{ name }} whose value is (or holds) an Ansible Vault value (!vault in the inventory): overlay never decrypts vault data, so it is never rendered."
        ),
        Rule(
            "playbook.create-only-link", .error,
            "A file entry with create_only: true and link: true: a create-only file is copied (the program that owns it after the first write would otherwise…"
        ),
        Rule(
            "playbook.create-only-source-changed", .warning,
            "The src: of a create_only: true file is edited by the last commit or in the work tree: hosts that already have the file keep their copy."
        ),
        Rule(
            "managed.no-home", .error,
            "managed: in a golden state with no home named hermes (the harness's home, whose config.yaml holds the values pinned and where lock_config writes…"
        ),
        Rule(
            "managed.dir", .error,
            "The host's managed-scope folder (host var managed_dir, default /etc/hermes) is inside a declared home, is one, or holds one (the agent may write…"
        ),
        Rule(
            "managed.key-not-set", .error,
            "A managed.keys entry the host's config.yaml does not set and managed.config does not give: there is no value to pin."),
        Rule(
            "managed.overrides-user-config", .warning,
            "A key managed.config sets to a value other than the host's config.yaml has: the harness uses the managed value."),
        Rule(
            "managed.env-name", .error,
            "A managed.env name that is not an environment variable name (letters, digits, _, not starting with a digit)."),
        Rule(
            "managed.env-value", .error,
            "A managed.env value (rendered; at apply, with its secrets) that a .env line cannot carry as it is: a line break, a NUL, or ${ (python-dotenv…"
        ),
        Rule(
            "soul.harness-blocked", .error,
            "SOUL.md matches a prompt-injection pattern of the harness's scan of context files (hermes-agent 0.19.0, tools/threat_patterns.py, scope \"context\"…"
        ),
    ]

    /// The rule with `id`, if declared.
    public static func rule(_ id: String) -> Rule? { byID[id] }

    /// True when `id` is declared.
    public static func contains(_ id: String) -> Bool { byID[id] != nil }

    private static let byID: [String: Rule] = Dictionary(all.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
}
