//! `netlicensing-server`: reads its configuration and runs the server.

use netlicensing_server::config::{Config, HELP};

fn main() {
    match Config::from_args(std::env::args().skip(1), |key| std::env::var(key).ok()) {
        Ok(Some(config)) => {
            println!("netlicensing-server {}", env!("CARGO_PKG_VERSION"));
            println!("  API:       http://{}/core/v2/rest", config.bind);
            println!("  database:  {}", config.database_url);
            println!(
                "  demo vendor (demo/demo, VDEMO): {}",
                if config.demo_vendor { "on" } else { "off" }
            );
            println!(
                "The HTTP service is not built yet: this build reads and checks its configuration only."
            );
        }
        Ok(None) => println!("{HELP}"),
        Err(error) => {
            eprintln!("netlicensing-server: {error}");
            std::process::exit(2);
        }
    }
}
