//! Mounts the app; everything else lives in the library.

fn main() {
    #[cfg(debug_assertions)]
    oncall::browser::log_panics();
    leptos::mount::mount_to_body(oncall::app::App);
}
