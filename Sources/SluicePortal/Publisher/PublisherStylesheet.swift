/// Rules of the Publisher and Admin pages that the shared stylesheet has no use for: the source viewer and
/// editor, diagnostics, lifecycle forms, wide forms. Appended to `portal.css`, so there is still one stylesheet.
enum PublisherStylesheet {
    static let css = """

        .visually-hidden { position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
          clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }
        .prewrap { white-space: pre-wrap; }
        .source-lines { counter-reset: line; list-style: none; margin: 0; padding: .75rem 0; background: #101828; color: #e4e7ec;
          border-radius: 8px; overflow-x: auto; font-size: .85rem; }
        .source-lines li { counter-increment: line; display: flex; white-space: pre; padding: 0 1rem 0 0; line-height: 1.55; }
        .source-lines li::before { content: counter(line); flex: 0 0 3.2em; text-align: right; padding-right: 1em; color: #667085;
          user-select: none; }
        .source-lines code { font-size: 1em; }
        .source-lines li:target { background: #3b2a10; }
        .source-editor { display: grid; gap: 1.25rem; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); align-items: start; }
        .source-editor textarea.code { white-space: pre; overflow-wrap: normal; overflow-x: auto; tab-size: 4; }
        .editor-pane .actions { margin-top: 1rem; }
        .diagnostics { margin: 0; padding-left: 1.25rem; display: grid; gap: .75rem; }
        .diagnostics li { color: var(--bad); min-width: 0; overflow-wrap: anywhere; }
        .diagnostics .excerpt { margin: .35rem 0 0; font-size: .8rem; color: #fecdca; white-space: pre; word-break: normal; }
        .lifecycle-form { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; margin: 0 0 .6rem; }
        .lifecycle-form .checks { width: 100%; gap: .25rem 1rem; }
        .history { padding-left: 1.1rem; margin: 0; }
        .wide-form { display: block; min-width: 0; }
        .wide-form fieldset, .role-form fieldset { min-width: 0; }
        .columns > *, .source-editor > * { min-width: 0; }
        .form-table td { padding: .4rem; position: relative; }
        .table-wrap { position: relative; }
        .form-table select, .form-table input { min-width: 7rem; }
        .range-picker { margin-bottom: 1.25rem; }
        .range-picker a.current { background: var(--brand); border-color: var(--brand); color: #fff; }
        .doc { border-top: 1px solid var(--line); padding: .75rem 0; }
        .doc:first-of-type { border-top: 0; padding-top: 0; }
        .doc h3 { display: flex; flex-wrap: wrap; gap: .4rem; align-items: center; }
        .role-form { display: grid; gap: .5rem; }
        .role-form fieldset { border: 0; padding: 0; }
        .role-form button { justify-self: start; }
        .inline-pair { display: flex; gap: .5rem; }
        .search .checks { display: flex; align-items: center; gap: .35rem; font-weight: 400; white-space: nowrap; }
        @media (max-width: 820px) {
          .source-editor { grid-template-columns: 1fr; }
        }
        """
}
