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

    /// Enhancements only; every page works without it: copy buttons for `data-copy` targets, a confirmation
    /// for forms marked `data-confirm`, and rows added to (`data-add-row`: a copy of the last row, emptied, with
    /// fresh ids) and removed from (`data-remove-row`) a form's table, and files loaded into a text area
    /// (`data-load-into`), and the try-it console's path set from the chosen resource (`data-try-path`), its first
    /// `{parameter}` selected for typing over.
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
        var addedRows = 0;
        document.addEventListener("click", function (event) {
          var add = event.target.closest("[data-add-row]");
          var remove = event.target.closest("[data-remove-row]");
          if (add) {
            var rows = document.getElementById(add.getAttribute("data-add-row"));
            var last = rows && rows.rows[rows.rows.length - 1];
            if (!last) { return; }
            var row = last.cloneNode(true);
            var suffix = "_added" + (++addedRows);
            row.querySelectorAll("[id]").forEach(function (element) { element.id = element.id + suffix; });
            row.querySelectorAll("label[for]").forEach(function (label) {
              label.htmlFor = label.htmlFor + suffix;
              label.textContent = label.textContent.replace(/\\d+$/, String(rows.rows.length + 1));
            });
            row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
            row.querySelectorAll("select").forEach(function (select) {
              select.selectedIndex = select.querySelector("option[value='']") ? 0 : select.selectedIndex;
            });
            rows.appendChild(row);
            var first = row.querySelector("input, select");
            if (first) { first.focus(); }
          } else if (remove) {
            var current = remove.closest("tr");
            if (current.parentNode.rows.length > 1) {
              current.remove();
            } else {
              current.querySelectorAll("input").forEach(function (input) { input.value = ""; });
            }
          }
        });
        document.addEventListener("change", function (event) {
          var input = event.target.closest("[data-load-into]");
          var target = input && document.getElementById(input.getAttribute("data-load-into"));
          if (!target || !input.files || !input.files[0]) { return; }
          input.files[0].text().then(function (text) { target.value = text; });
        });
        document.addEventListener("change", function (event) {
          var select = event.target.closest("select[data-try-path]");
          var path = select && document.getElementById(select.getAttribute("data-try-path"));
          var option = select && select.options[select.selectedIndex];
          if (!path || !option) { return; }
          path.value = option.getAttribute("data-target");
          var parameter = path.value.indexOf("{");
          path.focus();
          if (parameter >= 0) { path.setSelectionRange(parameter, path.value.indexOf("}", parameter) + 1); }
        });
        document.querySelectorAll("[data-file-field]").forEach(function (field) { field.hidden = false; });
        document.querySelectorAll("[data-copy], [data-add-row], [data-remove-row]").forEach(function (button) {
          button.hidden = false;
        });
        """
}
