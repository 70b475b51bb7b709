import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes

/// Cuts off slow clients and closes a connection after a response marked
/// `Connection: close`, without reading the rest of its request.
///
/// One per connection, right after the HTTP decoder. A client gets `headerTimeout` to send
/// a request's headers (counted from the connection's start or the previous response,
/// so it is also the keep-alive idle limit) and `bodyTimeout` to send its body; then the
/// connection is closed. A response with `Connection: close` (413, a delivery without a
/// signature) half-closes the connection once written, so the client reads the response
/// rather than a reset, discards whatever else the client sends, and closes it fully
/// after `lingerTime`.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let headerTimeout: TimeAmount
    private let bodyTimeout: TimeAmount
    private let lingerTime: TimeAmount
    private let logger: Logger
    private var timer: Scheduled<Void>?
    private var readingBody = false
    private var responding = false
    private var closeAfterResponse = false
    private var lingering = false

    init(headerTimeout: Duration, bodyTimeout: Duration, lingerTime: Duration = .seconds(2), logger: Logger) {
        self.headerTimeout = TimeAmount(headerTimeout)
        self.bodyTimeout = TimeAmount(bodyTimeout)
        self.lingerTime = TimeAmount(lingerTime)
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context, after: headerTimeout, "headers") }
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    func channelActive(context: ChannelHandlerContext) {
        arm(context, after: headerTimeout, "headers")
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if lingering { return }
        switch unwrapInboundIn(data) {
        case .head:
            readingBody = true
            responding = true
            arm(context, after: bodyTimeout, "body")
        case .body:
            break
        case .end:
            readingBody = false
            // A response already written (a 404 before the body was read) leaves the
            // connection idle: the next request's headers are due.
            if responding { disarm() } else { arm(context, after: headerTimeout, "headers") }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let response):
            if response.headerFields[.connection]?.lowercased() == "close" { closeAfterResponse = true }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            responding = false
            guard closeAfterResponse else {
                context.write(data, promise: promise)
                if !readingBody { arm(context, after: headerTimeout, "headers") }
                return
            }
            lingering = true
            disarm()
            let loop = context.eventLoop.assumeIsolated()
            context.writeAndFlush(data, promise: promise)
            context.close(mode: .output, promise: nil)
            timer = loop.scheduleTask(in: lingerTime) { context.close(promise: nil) }
        }
    }

    /// Closes the connection unless the awaited part arrives within `delay`.
    private func arm(_ context: ChannelHandlerContext, after delay: TimeAmount, _ awaited: String) {
        disarm()
        let logger = logger
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
            logger.info(
                "connection closed: the client was too slow sending the request \(awaited)",
                metadata: ["peer": "\(context.channel.remoteAddress?.description ?? "?")"])
            context.close(promise: nil)
        }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }
}
