//! The one performance guard in the test suite: a size is deterministic, a time is not.

/// The first load (the main wasm, its JS, CSS, HTML and loader; not the views' split modules,
/// which arrive when needed), brotli -q 11, may not grow past this. It is the size measured
/// when the guard was set plus a little room; docs/performance.md says how far off the goal
/// (200 KB) the build is, and what raised this over time (the security hardening: 290,000 ->
/// 295,000 B; how to reach a person: -> 298,000 B; services, escalation policies level by
/// level, "your levels" and the clock: -> 330,000 B; a timeline without long tasks: -> 336,000
/// B; the cuts of the fourth session, to 298,503 B: -> 300,000 B; the fifth session's, to
/// 297,569 B: -> 298,000 B; the client in layers, to 301,118 B: -> 302,000 B; the first screen
/// in index.html and a favicon, to 302,410 B: -> 303,000 B; every view but My on-call in a
/// split module of its own, to 220,208 B: -> 221,000 B; a view's code fetched early by the
/// loader and waiting for the connection offline, to 221,196 B: -> 222,000 B; coverage, on-call
/// hours and the board, in modules of their own, and the level rule, to 225,801 B: -> 226,000 B;
/// cover me (changes sent once, "Ask for cover" and "I'm away" on My on-call, the take, finding
/// cover and away in a module of their own), to 230,271 B, within the 8 KB that issue allows:
/// -> 231,000 B; the same on shift-based schedules, to 230,905 B, and their overrides removable
/// from the schedule view, to 231,011 B (the main module's code unchanged: its function table
/// and the split modules' entries into it grew): -> 231,500 B; the cuts of issue 21's tenth
/// session (a split view's suspense built once, fetch without gloo-net, one SHA-256 per module,
/// terser, Trunk's minifier, wasm-opt's stripping), to 221,177 B: -> 221,500 B; the ID token
/// read without `serde_json::Value`, "your levels" reading a policy's number of levels only,
/// and panic locations without this machine's cargo home, to 219,040 B: -> 219,500 B; the
/// standard library built for size and panics that stop at once, to 201,949 B: -> 202,400 B;
/// the split modules' digests in a file of their own, to 198,485 B, and asked for by the loader
/// for a link to a view, to 198,682 B: -> 199,000 B, within issue 21's 200 KB). Lower it as the
/// build shrinks.
const CEILING_BYTES: usize = 199_000;

#[test]
fn the_first_load_stays_under_its_brotli_ceiling() {
    let sizes = oncall_e2e::asset_sizes();
    let listing = |first_load: bool| -> Vec<String> {
        sizes
            .iter()
            .filter(|s| s.first_load == first_load)
            .map(|s| format!("{} {} B", s.name, s.brotli))
            .collect()
    };
    let total: usize = sizes
        .iter()
        .filter(|s| s.first_load)
        .map(|s| s.brotli)
        .sum();
    println!(
        "first load, brotli -q 11: {total} B in all: {:?}",
        listing(true)
    );
    println!("split modules, brotli -q 11: {:?}", listing(false));
    assert!(
        total <= CEILING_BYTES,
        "{total} B brotli > {CEILING_BYTES} B: {:?}",
        listing(true)
    );
    assert!(
        sizes
            .iter()
            .any(|s| s.first_load && s.name.ends_with("_bg.wasm")),
        "the build has its main wasm"
    );
    assert!(
        sizes.iter().any(|s| s.name.starts_with("split_timeline-")),
        "the timeline is a split module of its own"
    );
}
