#![forbid(unsafe_code)]

fn main() {
    leptos::mount::mount_to_body(begleitbuch_office::App);
}
