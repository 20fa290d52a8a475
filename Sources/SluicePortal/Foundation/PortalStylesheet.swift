/// `portal.css`: the look of every portal page. Responsive down to 360 px, visible keyboard focus, no web
/// fonts or images to download.
enum PortalStylesheet {
    static let css = """
        :root {
          --ink: #1d2433; --muted: #5b6478; --line: #dde2ec; --paper: #ffffff; --wash: #f4f6fa;
          --brand: #2451c7; --brand-dark: #1a3d99; --brand-soft: #e8eefc; --ok: #1f7a4d; --ok-soft: #e5f5ec;
          --bad: #b42318; --bad-soft: #fdeceb; --warn: #9a6700; --warn-soft: #fff5d6;
          --radius: 10px; --shadow: 0 1px 2px rgba(16, 24, 40, .06), 0 1px 3px rgba(16, 24, 40, .08);
        }
        *, *::before, *::after { box-sizing: border-box; }
        html { -webkit-text-size-adjust: 100%; }
        body {
          margin: 0; background: var(--wash); color: var(--ink);
          font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
          display: flex; flex-direction: column; min-height: 100vh;
        }
        a { color: var(--brand); text-decoration: none; }
        a:hover { text-decoration: underline; }
        :focus-visible { outline: 3px solid #f5a524; outline-offset: 2px; border-radius: 4px; }
        h1, h2, h3 { line-height: 1.25; margin: 0 0 .5em; }
        h1 { font-size: 1.75rem; } h2 { font-size: 1.3rem; } h3 { font-size: 1.05rem; }
        p { margin: 0 0 1em; }
        code, h1, h2, h3, dd { overflow-wrap: anywhere; }
        code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; }
        pre { background: #101828; color: #e4e7ec; padding: 1em; border-radius: 8px; overflow-x: auto;
          white-space: pre-wrap; word-break: break-all; }
        .skip { position: absolute; left: -999px; top: 0; background: var(--paper); padding: .5em 1em; z-index: 10; }
        .skip:focus { left: 1em; }

        .topbar { background: #101828; color: #fff; }
        .topbar-inner { max-width: 1160px; margin: 0 auto; padding: .6rem 1.25rem; display: flex; align-items: center;
          gap: 1.25rem; flex-wrap: wrap; }
        .brand { color: #fff; font-weight: 700; font-size: 1.2rem; letter-spacing: .02em; display: flex; align-items: center; gap: .5rem; }
        .brand:hover { text-decoration: none; }
        .brand-mark { width: 28px; height: 28px; border-radius: 8px; background: linear-gradient(135deg, #4f7cff, #22c1a5);
          display: inline-block; }
        .brand small { font-weight: 400; color: #98a2b3; font-size: .85rem; }
        .areas { display: flex; gap: .25rem; list-style: none; margin: 0; padding: 0; flex-wrap: wrap; }
        .areas a { color: #d0d5dd; padding: .35rem .75rem; border-radius: 6px; display: block; }
        .areas a:hover { background: #1d2939; color: #fff; text-decoration: none; }
        .areas a[aria-current="page"] { background: #344054; color: #fff; }
        .account { margin-left: auto; display: flex; align-items: center; gap: .75rem; color: #d0d5dd; font-size: .95rem; }
        .account form { margin: 0; }
        .account .button { padding: .3rem .8rem; }
        .subnav { background: var(--paper); border-bottom: 1px solid var(--line); }
        .subnav ul { max-width: 1160px; margin: 0 auto; padding: 0 1.25rem; display: flex; gap: 1.25rem; list-style: none;
          overflow-x: auto; }
        .subnav a { display: block; padding: .75rem 0; color: var(--muted); border-bottom: 3px solid transparent; white-space: nowrap; }
        .subnav a:hover { color: var(--ink); text-decoration: none; }
        .subnav a[aria-current="page"] { color: var(--brand); border-bottom-color: var(--brand); font-weight: 600; }

        main { flex: 1; width: 100%; max-width: 1160px; margin: 0 auto; padding: 1.75rem 1.25rem 3rem; }
        footer { color: var(--muted); font-size: .85rem; text-align: center; padding: 1.5rem 1rem; border-top: 1px solid var(--line);
          background: var(--paper); }

        .flash { border-radius: var(--radius); padding: .75rem 1rem; margin-bottom: 1.25rem; background: var(--ok-soft);
          color: var(--ok); border: 1px solid #b7e4c7; }
        .flash.error { background: var(--bad-soft); color: var(--bad); border-color: #f5c2be; }
        .notice { border-radius: var(--radius); padding: .75rem 1rem; margin-bottom: 1rem; background: var(--warn-soft);
          color: var(--warn); border: 1px solid #f3d98b; }

        .page-head { display: flex; align-items: flex-start; justify-content: space-between; gap: 1rem; flex-wrap: wrap; margin-bottom: 1.25rem; }
        .page-head p { color: var(--muted); margin: 0; }
        .card { background: var(--paper); border: 1px solid var(--line); border-radius: var(--radius); box-shadow: var(--shadow);
          padding: 1.25rem; margin-bottom: 1.25rem; }
        .card > h2:first-child, .card > h3:first-child { margin-top: 0; }
        .grid { display: grid; gap: 1.25rem; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); margin-bottom: 1rem; }
        .columns { display: grid; gap: 1.25rem; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); }
        .columns.even { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
        .columns.even { margin-bottom: 1.25rem; }
        .columns.even > .card { margin-bottom: 0; }
        .columns > *, .grid > *, .field, .field-row > * { min-width: 0; }
        .api-card { display: flex; flex-direction: column; gap: .4rem; margin: 0; }
        .api-card h3 { margin: 0; }
        .api-card .meta { color: var(--muted); font-size: .9rem; }
        .api-card p { margin: 0; color: var(--muted); flex: 1; }
        .avatar { width: 44px; height: 44px; border-radius: 10px; display: grid; place-items: center; color: #fff; font-weight: 700;
          background: linear-gradient(135deg, #4f7cff, #7a5af8); font-size: 1.1rem; text-transform: uppercase; }
        .muted { color: var(--muted); }
        .small { font-size: .875rem; }

        .badge { display: inline-block; padding: .1rem .55rem; border-radius: 999px; font-size: .78rem; font-weight: 600;
          background: var(--brand-soft); color: var(--brand-dark); white-space: nowrap; }
        .badge.published, .badge.ok, .badge.unblocked { background: var(--ok-soft); color: var(--ok); }
        .badge.prototyped, .badge.created { background: #f0e9ff; color: #5925dc; }
        .badge.deprecated, .badge.warn, .badge.prod_only_blocked { background: var(--warn-soft); color: var(--warn); }
        .badge.blocked, .badge.retired, .badge.bad { background: var(--bad-soft); color: var(--bad); }
        .badge.verb { font-family: ui-monospace, monospace; min-width: 4.2em; text-align: center; }
        .badge.get { background: #e0f2fe; color: #075985; } .badge.post { background: var(--ok-soft); color: var(--ok); }
        .badge.put { background: var(--warn-soft); color: var(--warn); } .badge.delete { background: var(--bad-soft); color: var(--bad); }
        .tags { display: flex; flex-wrap: wrap; gap: .4rem; list-style: none; padding: 0; margin: 0; }
        .tags a { display: inline-block; border: 1px solid var(--line); border-radius: 999px; padding: .15rem .7rem; background: var(--paper);
          color: var(--ink); }
        .tags a:hover { border-color: var(--brand); color: var(--brand); text-decoration: none; }
        .tag-cloud a.w2 { font-size: 1.05rem; } .tag-cloud a.w3 { font-size: 1.2rem; font-weight: 600; }
        .stars { color: #f5a524; letter-spacing: .05em; white-space: nowrap; }
        .stars .off { color: #d0d5dd; }

        table { width: 100%; border-collapse: collapse; background: var(--paper); }
        th, td { text-align: left; padding: .6rem .75rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); background: #f9fafb; }
        tr:last-child td { border-bottom: 0; }
        .table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: var(--radius); margin-bottom: 1rem; }
        .table-wrap table { border: 0; }
        td form { display: inline; margin: 0; }
        .actions { display: flex; gap: .5rem; flex-wrap: wrap; align-items: center; }

        form.stacked { display: grid; gap: 1rem; max-width: 560px; }
        .field { display: grid; gap: .3rem; }
        .field-row { display: grid; gap: 1rem; grid-template-columns: 1fr 1fr; }
        label { font-weight: 600; font-size: .92rem; }
        .hint { color: var(--muted); font-size: .85rem; font-weight: 400; }
        input[type=text], input[type=password], input[type=email], input[type=search], input[type=number], input[type=url],
        select, textarea {
          width: 100%; font: inherit; color: inherit; background: var(--paper); border: 1px solid #c5cbd8; border-radius: 8px;
          padding: .55rem .7rem; }
        textarea { min-height: 7rem; resize: vertical; }
        textarea.code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; min-height: 24rem; }
        input:focus, select:focus, textarea:focus { border-color: var(--brand); }
        fieldset { border: 1px solid var(--line); border-radius: var(--radius); padding: .75rem 1rem; margin: 0; }
        legend { font-weight: 600; padding: 0 .35rem; }
        .checks { display: flex; flex-wrap: wrap; gap: .5rem 1.25rem; }
        .checks label { font-weight: 400; display: flex; gap: .4rem; align-items: center; }
        .button, button {
          display: inline-flex; align-items: center; justify-content: center; gap: .4rem; font: inherit; font-weight: 600;
          border-radius: 8px; border: 1px solid var(--brand); background: var(--brand); color: #fff; padding: .5rem 1.05rem;
          cursor: pointer; text-decoration: none; line-height: 1.3; white-space: nowrap; }
        form + form { margin-top: .75rem; }
        .button:hover, button:hover { background: var(--brand-dark); border-color: var(--brand-dark); text-decoration: none; }
        .button.secondary, button.secondary { background: var(--paper); color: var(--ink); border-color: #c5cbd8; }
        .button.secondary:hover, button.secondary:hover { background: #f2f4f7; }
        .button.danger, button.danger { background: var(--paper); color: var(--bad); border-color: #f5c2be; }
        .button.danger:hover, button.danger:hover { background: var(--bad-soft); }
        .button.small, button.small { padding: .25rem .65rem; font-size: .85rem; }
        .button.ghost, button.ghost { background: transparent; border-color: #475467; color: #fff; }
        .search { display: flex; gap: .5rem; margin-bottom: 1.25rem; }
        .search input { flex: 1; }

        .secret { background: var(--warn-soft); border: 1px solid #f3d98b; border-radius: var(--radius); padding: 1rem; margin: 1rem 0; }
        .keybox { display: grid; gap: .35rem; margin-bottom: .75rem; }
        .keybox code { display: block; background: var(--wash); border: 1px solid var(--line); border-radius: 6px; padding: .45rem .6rem;
          word-break: break-all; }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; margin: 0; }
        dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; word-break: break-word; }
        .stats { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); margin-bottom: 1.25rem; }
        .stat { background: var(--paper); border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem; box-shadow: var(--shadow); }
        .stat strong { display: block; font-size: 1.6rem; } .stat span { color: var(--muted); font-size: .88rem; }
        .chart { width: 100%; height: auto; display: block; }
        .chart text { font: 12px system-ui, sans-serif; fill: var(--muted); }
        .comment { border-top: 1px solid var(--line); padding: .75rem 0; }
        .comment:first-of-type { border-top: 0; }
        .comment p { margin: .25rem 0 0; white-space: pre-wrap; }
        .doc-body { white-space: pre-wrap; background: var(--wash); border-radius: 8px; padding: 1rem; }
        .empty { text-align: center; color: var(--muted); padding: 2rem 1rem; }
        .auth-card { max-width: 440px; margin: 2rem auto; }
        .rating-form { display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
        .rating-form select { width: auto; }

        @media (max-width: 820px) {
          .columns, .columns.even { grid-template-columns: minmax(0, 1fr); }
        }
        @media (max-width: 560px) {
          main { padding: 1.1rem .85rem 2rem; }
          .topbar-inner { padding: .55rem .85rem; gap: .6rem; }
          .account { margin-left: 0; width: 100%; justify-content: space-between; }
          .field-row { grid-template-columns: minmax(0, 1fr); }
          .search { flex-wrap: wrap; }
          .search input { flex-basis: 100%; }
          h1 { font-size: 1.4rem; }
          th, td { padding: .5rem; }
          .card { padding: 1rem; }
          .hide-narrow { display: none; }
        }
        """
}
