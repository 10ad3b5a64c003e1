//! HTTP benchmark: `validate` for a licensee with 10 licenses against the same server's `/health`, at 64
//! concurrent connections, on SQLite and (with `DATABASE_URL`) PostgreSQL. Prints requests per second, p50/p99
//! latency and the ratio of validate to health throughput (target: at least one third).
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use netlicensing_server::testing::{Backend, TestServer};

const CONNECTIONS: usize = 64;
const WARM_UP: Duration = Duration::from_secs(1);
const MEASURE: Duration = Duration::from_secs(4);

struct Figures {
    per_second: f64,
    p50: Duration,
    p99: Duration,
}

async fn load(
    client: &reqwest::Client,
    request: impl Fn(&reqwest::Client) -> reqwest::RequestBuilder + Clone + Send + 'static,
) -> Figures {
    let run = |duration: Duration| {
        let tasks: Vec<_> = (0..CONNECTIONS)
            .map(|_| {
                let client = client.clone();
                let request = request.clone();
                tokio::spawn(async move {
                    let mut latencies = Vec::new();
                    let end = Instant::now() + duration;
                    while Instant::now() < end {
                        let start = Instant::now();
                        let response = request(&client).send().await.expect("request");
                        assert!(response.status().is_success(), "{}", response.status());
                        response.bytes().await.expect("body");
                        latencies.push(start.elapsed());
                    }
                    latencies
                })
            })
            .collect();
        async move {
            let mut all = Vec::new();
            for task in tasks {
                all.extend(task.await.expect("load task"));
            }
            all
        }
    };
    run(WARM_UP).await;
    let started = Instant::now();
    let mut latencies = run(MEASURE).await;
    let elapsed = started.elapsed();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    Figures { per_second: latencies.len() as f64 / elapsed.as_secs_f64(), p50: at(0.50), p99: at(0.99) }
}

async fn prepare(server: &TestServer, client: &reqwest::Client) {
    let post = |path: &str, body: String| {
        client
            .post(server.url(path))
            .basic_auth("demo", Some("demo"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body)
    };
    let steps = [
        ("product", "number=PB&name=Bench".to_owned()),
        ("productmodule", "number=MS&productNumber=PB&name=Subscription&licensingModel=Subscription".to_owned()),
        (
            "licensetemplate",
            "number=ES&productModuleNumber=MS&name=Month&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=MONTH"
                .to_owned(),
        ),
        ("productmodule", "number=MF&productNumber=PB&name=Features&licensingModel=MultiFeature".to_owned()),
        ("licensee", "number=IB&productNumber=PB".to_owned()),
    ];
    for (path, body) in steps {
        assert!(post(path, body).send().await.unwrap().status().is_success());
    }
    for i in 0..5 {
        let template = format!("number=EF{i}&productModuleNumber=MF&name=Feature+{i}&licenseType=FEATURE");
        assert!(post("licensetemplate", template).send().await.unwrap().status().is_success());
        let feature = format!("licenseeNumber=IB&licenseTemplateNumber=EF{i}");
        assert!(post("license", feature).send().await.unwrap().status().is_success());
        let month = "licenseeNumber=IB&licenseTemplateNumber=ES&startDate=now".to_owned();
        assert!(post("license", month).send().await.unwrap().status().is_success());
    }
}

fn line(name: &str, figures: &Figures) {
    println!(
        "  {name:<10} {:>8.0} requests/s   p50 {:>7.2} ms   p99 {:>7.2} ms",
        figures.per_second,
        figures.p50.as_secs_f64() * 1000.0,
        figures.p99.as_secs_f64() * 1000.0
    );
}

#[tokio::main]
async fn main() {
    for backend in Backend::available() {
        let server = TestServer::start(backend).await;
        let client = reqwest::Client::builder().pool_max_idle_per_host(CONNECTIONS).build().unwrap();
        prepare(&server, &client).await;
        let health_url = format!("{}/health", server.base);
        let health = load(&client, move |c| c.get(&health_url)).await;
        let validate_url = server.url("licensee/IB/validate");
        let validate = load(&client, move |c| {
            c.post(&validate_url)
                .basic_auth("demo", Some("demo"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body("productNumber=PB")
        })
        .await;
        println!("\nHTTP benchmark on {backend:?}: {CONNECTIONS} connections, {} s each", MEASURE.as_secs());
        line("health", &health);
        line("validate", &validate);
        let ratio = validate.per_second / health.per_second;
        println!("  validate/health throughput ratio {ratio:.2} (target at least 0.33)");
        server.stop().await;
    }
}
