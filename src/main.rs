//! Installs the panic hook and mounts the app; everything else lives in the library.

fn main() {
    oncall::browser::install_panic_hook();
    leptos::mount::mount_to_body(oncall::app::App);
}
