namespace Enigm.Server.Console;

/// <summary>The console's only style sheet, served from the admin listener itself (CSP style-src 'self'; no inline style, no CDN).</summary>
public static class ConsoleStyle
{
    /// <summary>The page icon (a browser asks for one; without it the listener answers 404 and the console logs an error).</summary>
    public const string Icon = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1b1f24"/><path d="M8 3 L12 5 V8 C12 10.5 10.2 12.3 8 13 C5.8 12.3 4 10.5 4 8 V5 Z" fill="#fff"/></svg>""";

    public const string Css = """
        :root { --fg: #1b1f24; --bg: #fbfbfc; --muted: #5b6470; --line: #d5d9de; --ok: #116329; --warn: #8a5300; --bad: #b42318; --focus: #0b5cd5; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.5 system-ui, "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
        header { display: flex; justify-content: space-between; align-items: center; padding: .75rem 1.5rem; border-bottom: 1px solid var(--line); background: #fff; }
        header p { margin: 0; }
        .brand a { font-weight: 700; color: var(--fg); text-decoration: none; }
        main { max-width: 76rem; padding: 1rem 1.5rem 2rem; }
        footer { padding: 0 1.5rem 1.5rem; color: var(--muted); font-size: .85rem; }
        h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
        h2 { font-size: 1.2rem; margin: 1.75rem 0 .5rem; }
        table { border-collapse: collapse; width: 100%; background: #fff; }
        caption { text-align: left; color: var(--muted); font-size: .9rem; padding: .25rem 0; }
        th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--line); vertical-align: middle; }
        code { font-size: .9em; }
        .badge { display: inline-block; padding: .05rem .5rem; border-radius: .75rem; font-size: .85rem; font-weight: 600; border: 1px solid currentColor; }
        .state-compliant { color: var(--ok); background: #e8f5ec; }
        .state-warning { color: var(--warn); background: #fff4e0; }
        .state-restricted { color: #fff; background: var(--bad); border-color: var(--bad); }
        .state-revoked-by-organisation { color: #fff; background: #5b1a14; border-color: #5b1a14; }
        .state-revoked, .state-disabled, .state-unknown { color: var(--muted); background: #eef0f2; }
        .problem { color: var(--bad); font-weight: 600; }
        dl.stats { display: grid; grid-template-columns: max-content auto; gap: .25rem 1rem; }
        dl.stats dt { color: var(--muted); }
        form.inline { display: inline-block; margin: .25rem .5rem .25rem 0; }
        label { display: block; margin: .5rem 0 .25rem; }
        input { font: inherit; padding: .35rem .5rem; min-width: 16rem; border: 1px solid var(--muted); border-radius: .25rem; }
        input[type=checkbox] { min-width: 0; }
        label.check { display: inline; margin: 0 1rem 0 .3rem; }
        fieldset { border: 1px solid var(--line); border-radius: .25rem; margin: .75rem 0; padding: .25rem .75rem .5rem; }
        textarea { display: block; width: 100%; font: .8rem/1.3 ui-monospace, "DejaVu Sans Mono", monospace; padding: .35rem .5rem; border: 1px solid var(--muted); border-radius: .25rem; }
        pre { background: #fff; border: 1px solid var(--line); padding: .5rem .75rem; overflow-x: auto; }
        form.editor { max-width: 48rem; }
        button { font: inherit; padding: .35rem .9rem; border-radius: .25rem; border: 1px solid var(--focus); background: var(--focus); color: #fff; cursor: pointer; }
        button.danger { background: var(--bad); border-color: var(--bad); }
        a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
        .skip { position: absolute; left: -999px; }
        .skip:focus { left: 1rem; top: .5rem; background: #fff; padding: .25rem .5rem; }
        """;
}
