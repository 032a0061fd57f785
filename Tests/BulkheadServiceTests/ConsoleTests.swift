@testable import BulkheadService
import Foundation
import Testing

/// The operator console over real sockets: served without a key, with the security headers
/// its page is written for, and complete (every file it loads is served; nothing external).
@Suite(.serialized) struct ConsoleTests {
    @Test func pageAndFilesCarryTheSecurityHeaders() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        for path in ["/console", "/console/app.js", "/console/console.css", "/console/icon.svg"] {
            let answer = try await service.call("GET", path)
            #expect(answer.status == 200, "\(path)")
            let policy = answer.header("Content-Security-Policy") ?? ""
            #expect(policy.contains("script-src 'self'"), "\(path): \(policy)")
            #expect(policy.contains("default-src 'none'"), "\(path): \(policy)")
            #expect(policy.contains("frame-ancestors 'none'"), "\(path): \(policy)")
            #expect(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"), "\(path): \(policy)")
            #expect(answer.header("X-Frame-Options") == "DENY", "\(path)")
            #expect(answer.header("Referrer-Policy") == "no-referrer", "\(path)")
            #expect(answer.header("X-Content-Type-Options") == "nosniff", "\(path)")
        }
        let page = try await service.call("GET", "/console")
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(page.text.contains(#"<script type="module" src="/console/app.js"></script>"#))
        let script = try await service.call("GET", "/console/app.js")
        // Module scripts run only when served with a JavaScript MIME type.
        #expect(script.header("Content-Type") == "text/javascript; charset=utf-8")
    }

    @Test func unknownFileIsAJSONNotFound() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        for path in ["/console/missing.js", "/console/..%2Fkeys.json", "/console/ConsoleAssets.swift"] {
            let answer = try await service.call("GET", path)
            #expect(answer.status == 404 || answer.status == 400, "\(path)")
            #expect((answer.json["error"] as? [String: Any])?["code"] != nil, "\(path)")
            #expect(answer.header("Content-Security-Policy") == nil, "\(path)")
        }
    }

    /// No inline script or style anywhere (the policy would block it and the page would
    /// break), every module the page imports is served, and no file reaches outside.
    @Test func pageIsSelfContained() throws {
        let page = String(decoding: try #require(ConsoleAssets.asset(named: ConsoleAssets.pageName)).bytes, as: UTF8.self)
        let scriptTags = matches(#"<script\b[^>]*>"#, in: page)
        #expect(!scriptTags.isEmpty)
        for tag in scriptTags { #expect(tag.contains(#"src="/console/"#), "inline script: \(tag)") }
        #expect(matches(#"<style\b|\sstyle="|\son[a-z]+="#, in: page).isEmpty, "inline style or handler")

        var referenced = Set(matches(#"(?:src|href)="/console/([^"]+)""#, in: page, group: 1))
        for (name, asset) in ConsoleAssets.byName where name.hasSuffix(".js") {
            let text = String(decoding: asset.bytes, as: UTF8.self)
            referenced.formUnion(matches(#"from "\./([^"]+)""#, in: text, group: 1))
            #expect(!text.contains("setAttribute(\"style\"") && !text.contains("eval("), "\(name)")
        }
        for name in referenced { #expect(ConsoleAssets.asset(named: name) != nil, "\(name) is loaded but not served") }
        for (name, asset) in ConsoleAssets.byName {
            let text = String(decoding: asset.bytes, as: UTF8.self)
            // SVG's namespace is the one URL allowed (it is a name, never fetched).
            let external = matches(#"https?://[^"' )]+"#, in: text).filter { $0 != "http://www.w3.org/2000/svg" }
            #expect(external.isEmpty, "\(name) names \(external)")
        }
    }

    private func matches(_ pattern: String, in text: String, group: Int = 0) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: group), in: text).map { String(text[$0]) }
        }
    }
}
