import Foundation

/// A job playbook (`playbooks/training.yaml`) as both `overlay validate` and the job runner
/// read it: its steps in file order, each with one action (SPEC §3.7).
///
/// Paths inside steps (datasets, metrics, gate files, promote source and target) are
/// relative to the run's working directory unless absolute; `run` and `env` may hold
/// `{{ var }}` references to the host's inventory variables until `rendered(vars:)`.
public struct JobPlaybook: Sendable, Codable, Equatable {
    /// `name:`, else the file's base name: names the lock, the workspace and the ledger rows.
    public var name: String
    /// The file as given (repo-relative when read from the repo).
    public var file: String
    /// `schedule:`, a cron expression, when the playbook runs on a schedule.
    public var schedule: String?
    /// `hosts:`, an inventory pattern.
    public var hosts: String?
    /// The steps, in file order.
    public var steps: [JobStep]

    /// Creates a playbook.
    public init(name: String, file: String, schedule: String? = nil, hosts: String? = nil, steps: [JobStep]) {
        self.name = name
        self.file = file
        self.schedule = schedule
        self.hosts = hosts
        self.steps = steps
    }

    /// The step called `name`.
    public func step(_ name: String) -> JobStep? { steps.first { $0.name == name } }

    /// Each step's depth in the graph: 0 for steps with no `needs`, else one more than
    /// the deepest step it needs. Steps of one depth may run side by side.
    public var levels: [String: Int] {
        JobGraph.levels(needs: Dictionary(steps.map { ($0.name, $0.needs) }, uniquingKeysWith: { a, _ in a }), order: steps.map(\.name))
    }
}

/// One step of a job playbook.
public struct JobStep: Sendable, Codable, Equatable {
    /// The job's key in `jobs:`.
    public var name: String
    /// Steps that must finish (`done`) before this one starts.
    public var needs: [String]
    /// What the step does.
    public var action: JobAction
    /// `timeout:` in seconds (nil: the runner's default).
    public var timeoutSeconds: Int?
    /// `retries:`: further attempts after a failure or a timeout.
    public var retries: Int
    /// `backoff:` in seconds: the wait before the first retry, doubled for each next one.
    public var backoffSeconds: Int?
    /// `resource:`: steps naming the same resource never run at the same time.
    public var resource: String?
    /// `when:`: every condition must hold when the step is due, else it is skipped.
    public var when: [JobCondition]
    /// `provenance:`: a JSONL file whose every record must carry its provenance before the step runs.
    public var provenance: String?
    /// `outputs:`: files the step must leave behind.
    public var outputs: [String]
    /// `metrics:`: a JSON file of numeric metrics the step writes, recorded in the ledger.
    public var metrics: String?
    /// `env:`: extra environment variables, sorted by name.
    public var env: [JobEnvironmentVariable]

    /// Creates a step.
    public init(
        name: String, needs: [String] = [], action: JobAction, timeoutSeconds: Int? = nil, retries: Int = 0,
        backoffSeconds: Int? = nil, resource: String? = nil, when: [JobCondition] = [], provenance: String? = nil,
        outputs: [String] = [], metrics: String? = nil, env: [JobEnvironmentVariable] = []
    ) {
        self.name = name
        self.needs = needs
        self.action = action
        self.timeoutSeconds = timeoutSeconds
        self.retries = retries
        self.backoffSeconds = backoffSeconds
        self.resource = resource
        self.when = when
        self.provenance = provenance
        self.outputs = outputs
        self.metrics = metrics
        self.env = env
    }
}

/// One `env:` entry of a step.
public struct JobEnvironmentVariable: Sendable, Codable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// What a step does: a command, a gate decision or a promotion.
public enum JobAction: Sendable, Codable, Equatable {
    /// `run:`: a shell command (`/bin/sh -c`).
    case run(String)
    /// `gate:`: compare a candidate's metrics with the baseline's.
    case gate(GateSpec)
    /// `promote:`: make the candidate the new live version of the target.
    case promote(PromoteSpec)

    /// `run`, `gate` or `promote`.
    public var kind: String {
        switch self {
        case .run: "run"
        case .gate: "gate"
        case .promote: "promote"
        }
    }
}

/// A gate's policy (SPEC §3.7).
public enum GatePolicy: String, Sendable, Codable, CaseIterable {
    /// Every shared metric at least `threshold` × the baseline (lower-is-better: at most baseline ÷ threshold).
    case noRegression = "no_regression"
    /// The named `metric` strictly better than the baseline's.
    case mustImprove = "must_improve"
    /// No shared metric worse, at least one strictly better.
    case paretoDominant = "pareto_dominant"
}

/// A `gate:` block.
public struct GateSpec: Sendable, Codable, Equatable {
    public var policy: GatePolicy
    /// For `no_regression`: the share of the baseline a metric must keep (default 1).
    public var threshold: Double
    /// The candidate's metrics file.
    public var candidate: String
    /// The incumbent's metrics file; when it does not exist there is no baseline yet and
    /// the first candidate passes.
    public var baseline: String
    /// For `must_improve`: the metric that must get strictly better.
    public var metric: String?
    /// Metrics where smaller is better (latency, loss).
    public var lowerIsBetter: [String]

    public init(
        policy: GatePolicy, threshold: Double = 1, candidate: String, baseline: String, metric: String? = nil,
        lowerIsBetter: [String] = []
    ) {
        self.policy = policy
        self.threshold = threshold
        self.candidate = candidate
        self.baseline = baseline
        self.metric = metric
        self.lowerIsBetter = lowerIsBetter
    }
}

/// A `promote:` block: `from` is copied as a new immutable version next to `to`, and `to`
/// (a symlink) is switched to it.
public struct PromoteSpec: Sendable, Codable, Equatable {
    public var from: String
    public var to: String

    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }
}

/// One `when:` condition.
public enum JobCondition: Sendable, Codable, Equatable {
    /// `min_examples: N, dataset: PATH`: at least N non-blank lines in a JSONL file.
    case minExamples(Int, dataset: String)
    /// `exists: PATH`.
    case exists(String)
    /// `changed: PATH`: the file or folder differs from when this step last finished `done`.
    case changed(String)
}
