import HTTPTypes
import Hummingbird

/// The portals' one stylesheet and one script, served from memory with long-lived caching.
enum PortalAssets {
    static let stylesheetPath = "/portal/assets/portal.css"
    static let scriptPath = "/portal/assets/portal.js"

    static func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        router.get(RouterPath(stylesheetPath)) { _, _ in
            asset(PortalStylesheet.css + PublisherStylesheet.css, type: "text/css; charset=utf-8")
        }
        router.get(RouterPath(scriptPath)) { _, _ in asset(script, type: "text/javascript; charset=utf-8") }
    }

    private static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: type,
                .cacheControl: "public, max-age=3600",
                HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text))
        )
    }

    /// Enhancements only; every page works without it: copy buttons for `data-copy` targets and a confirmation
    /// for forms marked `data-confirm`.
    static let script = """
        "use strict";
        document.addEventListener("click", function (event) {
          var button = event.target.closest("[data-copy]");
          if (!button) { return; }
          var target = document.getElementById(button.getAttribute("data-copy"));
          if (!target || !navigator.clipboard) { return; }
          navigator.clipboard.writeText(target.textContent.trim()).then(function () {
            var label = button.textContent;
            button.textContent = "Copied";
            setTimeout(function () { button.textContent = label; }, 1500);
          });
        });
        document.addEventListener("submit", function (event) {
          var message = event.target.getAttribute("data-confirm");
          if (message && !window.confirm(message)) { event.preventDefault(); }
        });
        document.querySelectorAll("[data-copy]").forEach(function (button) { button.hidden = false; });
        """
}
