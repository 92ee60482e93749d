#![forbid(unsafe_code)]

fn main() {
    begleitbuch::start();
}
