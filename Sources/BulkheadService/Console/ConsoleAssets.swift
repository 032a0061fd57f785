import HTTPWire

/// The operator console (README "Console"): HTML, CSS and hand-written JavaScript compiled
/// into the binary by SwiftPM's `embedInCode`, so the page needs no file at run time and no
/// third-party code. `/console` is the page; `/console/<name>` its other files.
enum ConsoleAssets {
    struct Asset: Sendable {
        let contentType: String
        let bytes: [UInt8]
    }

    static let pageName = "console.html"

    /// Every file by name; nothing outside this table is ever served.
    static let byName: [String: Asset] = [
        "console.html": Asset(contentType: "text/html; charset=utf-8", bytes: PackageResources.console_html),
        "console.css": Asset(contentType: "text/css; charset=utf-8", bytes: PackageResources.console_css),
        "icon.svg": Asset(contentType: "image/svg+xml", bytes: PackageResources.icon_svg),
        "app.js": script(PackageResources.app_js),
        "api.js": script(PackageResources.api_js),
        "cards.js": script(PackageResources.cards_js),
        "charts.js": script(PackageResources.charts_js),
        "feed.js": script(PackageResources.feed_js),
        "format.js": script(PackageResources.format_js),
        "scenarios.js": script(PackageResources.scenarios_js),
        "stress.js": script(PackageResources.stress_js),
    ]

    /// Sent with every console file. The policy allows scripts, styles, images and fetches
    /// from this origin only: no inline script or style, no framing, no form posts elsewhere.
    static let securityHeaders: [HTTPField] = [
        HTTPField("Content-Security-Policy", contentSecurityPolicy),
        HTTPField("X-Frame-Options", "DENY"),
        HTTPField("Referrer-Policy", "no-referrer"),
        HTTPField("X-Content-Type-Options", "nosniff"),
        HTTPField("Cache-Control", "no-cache"),
    ]

    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    static func asset(named name: String) -> Asset? { byName[name] }

    private static func script(_ bytes: [UInt8]) -> Asset {
        Asset(contentType: "text/javascript; charset=utf-8", bytes: bytes)
    }
}
