import Foundation
import Hummingbird
import Logging
import OverlayRuntime

/// `POST /hooks/push`: authenticate, then decide, then queue a run.
///
/// The order is the contract (SPEC §3.5): the signature header is read first (none or a
/// malformed one: 401 before the body is read); the body is read up to the limit (413
/// past it); the signature is checked over the raw bytes, in constant time against every
/// secret (401); only then is anything parsed: the delivery id, the event, the payload
/// (400 when it cannot be read), the ref. A delivery id seen before makes it a duplicate.
struct PushHookEndpoint: Sendable {
    let ref: String
    let bodyLimit: Int
    let secrets: SecretStore
    let ledger: DeliveryLedger
    let runner: PushRunner
    let state: ServerState
    let clock: any WallClock
    let logger: Logger

    func respond(to request: Request) async -> Response {
        let start = ContinuousClock.now
        var seen = Seen()
        let verdict = await decide(request, &seen)
        let record = DeliveryRecord(
            id: seen.headers?.deliveryID.map { Self.printable($0) }, kind: seen.headers?.kind,
            event: seen.headers?.event.map { Self.printable($0) }, time: clock.now(), verdict: verdict)
        state.recordDelivery(record)
        log(record, elapsed: ContinuousClock.now - start)
        var headers: HTTPFields = [.contentType: "application/json"]
        if !seen.bodyRead { headers[.connection] = "close" }
        return Response(status: verdict.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: verdict.responseBody)))
    }

    /// What was learnt about the request on the way to its verdict.
    private struct Seen {
        var headers: DeliveryHeaders?
        var bodyRead = false
    }

    private func decide(_ request: Request, _ seen: inout Seen) async -> DeliveryVerdict {
        let headers: DeliveryHeaders
        switch DeliveryHeaders.read(request.headers) {
        case .failure(let verdict): return verdict
        case .success(let read): headers = read
        }
        seen.headers = headers
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > bodyLimit {
            return .tooLarge(limit: bodyLimit)
        }
        let body: [UInt8]
        do {
            body = try await readBody(request)
        } catch {
            return error
        }
        seen.bodyRead = true
        guard secrets.current().authenticates(headers.credential, body: body) else {
            return .unauthorized("wrong signature")
        }
        // Authenticated from here on: the sender knows a secret.
        for id in [headers.deliveryID, headers.retryKey].compactMap({ $0 }) where !DeliveryHeaders.isUsableID(id) {
            return .malformed("the delivery id must be 1–128 printable characters without spaces")
        }
        // A generic sender may leave the event out: its deliveries are pushes.
        let event = headers.event ?? (headers.kind == .generic ? "push" : nil)
        let verdict: DeliveryVerdict
        if event == headers.kind.pushEvent {
            do {
                let payload = try PushPayload.parse(body, contentType: request.headers[.contentType])
                verdict = payload.ref == ref ? .accepted : .ignored("ref \(Self.printable(payload.ref)) is not \(ref)")
            } catch {
                return error
            }
        } else if let event {
            verdict = .ignored(event == "ping" ? "ping" : "event '\(Self.printable(event))' is not a push")
        } else {
            verdict = .ignored("no event header")
        }
        let keys = headers.ledgerKeys
        if !keys.isEmpty, !ledger.claim(keys) {
            return .duplicate
        }
        if verdict == .accepted { await runner.push() }
        return verdict
    }

    /// The body, at most `bodyLimit` bytes (a chunked body is counted as it comes in).
    private func readBody(_ request: Request) async throws(DeliveryVerdict) -> [UInt8] {
        var bytes: [UInt8] = []
        do {
            for try await chunk in request.body {
                guard bytes.count + chunk.readableBytes <= bodyLimit else { throw DeliveryVerdict.tooLarge(limit: bodyLimit) }
                bytes.append(contentsOf: chunk.readableBytesView)
            }
        } catch let verdict as DeliveryVerdict {
            throw verdict
        } catch {
            throw .aborted("the connection ended before the body was complete")
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length != bytes.count {
            throw .aborted("the body ended after \(bytes.count) of \(length) bytes")
        }
        return bytes
    }

    /// One line per delivery; never the signature or a secret.
    private func log(_ record: DeliveryRecord, elapsed: Duration) {
        var metadata: Logger.Metadata = [
            "verdict": "\(record.verdict.label)", "status": "\(record.verdict.status.code)",
            "kind": "\(record.kind?.rawValue ?? "-")", "delivery": "\(record.id ?? "-")",
            "event": "\(record.event ?? "-")", "ms": "\(elapsed.milliseconds)",
        ]
        if let reason = record.verdict.reason { metadata["reason"] = "\(reason)" }
        let level: Logger.Level = record.verdict.status.code < 300 ? .info : .warning
        logger.log(level: level, "delivery", metadata: metadata)
    }

    /// At most 128 printable ASCII characters, for text a client chose.
    static func printable(_ text: String) -> String {
        let kept = text.unicodeScalars.prefix(128).map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" }
        return String(kept) + (text.unicodeScalars.count > 128 ? "…" : "")
    }
}
