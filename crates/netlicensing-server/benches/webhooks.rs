//! Webhook benchmark: how many events per second the delivery worker sends to a receiver on loopback (events
//! queued first, then drained), and validate throughput with a notification subscribed to every event against
//! without, on SQLite and (with `DATABASE_URL`) PostgreSQL.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use actix_web::{App, HttpResponse, HttpServer, web};
use netlicensing_server::{
    testing::{Backend, TestServer},
    webhook::{Delivery, Policy, Settings},
};

const NOTIFICATIONS: usize = 8;
const LICENSEES: usize = 250;
const CONNECTIONS: usize = 32;
const MEASURE: Duration = Duration::from_secs(4);

/// A receiver answering 200 to every request; returns its base URL and the count of requests.
fn receiver() -> (String, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = web::Data::new(count.clone());
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            HttpServer::new(move || {
                App::new().app_data(seen.clone()).default_service(web::to(
                    |seen: web::Data<Arc<AtomicUsize>>| async move {
                        seen.fetch_add(1, Ordering::Relaxed);
                        HttpResponse::Ok().finish()
                    },
                ))
            })
            .workers(1)
            .disable_signals()
            .listen(listener)
            .unwrap()
            .run()
            .await
            .ok();
        })
    });
    (base, count)
}

fn post(client: &reqwest::Client, server: &TestServer, path: &str, body: String) -> reqwest::RequestBuilder {
    client
        .post(server.url(path))
        .basic_auth("demo", Some("demo"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
}

async fn ok(client: &reqwest::Client, server: &TestServer, path: &str, body: String) {
    let response = post(client, server, path, body).send().await.unwrap();
    assert!(response.status().is_success(), "{path}: {}", response.status());
}

/// Validations per second of licensee IB at `CONNECTIONS` concurrent connections.
async fn validations(client: &reqwest::Client, server: &TestServer) -> f64 {
    let url = server.url("licensee/IB/validate");
    let run = |duration: Duration| {
        let tasks: Vec<_> = (0..CONNECTIONS)
            .map(|_| {
                let (client, url) = (client.clone(), url.clone());
                tokio::spawn(async move {
                    let mut done = 0usize;
                    let end = Instant::now() + duration;
                    while Instant::now() < end {
                        let response = client
                            .post(&url)
                            .basic_auth("demo", Some("demo"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .body("productNumber=PB")
                            .send()
                            .await
                            .unwrap();
                        assert!(response.status().is_success());
                        response.bytes().await.unwrap();
                        done += 1;
                    }
                    done
                })
            })
            .collect();
        async move {
            let mut all = 0;
            for task in tasks {
                all += task.await.unwrap();
            }
            all
        }
    };
    run(Duration::from_secs(1)).await;
    let started = Instant::now();
    let done = run(MEASURE).await;
    done as f64 / started.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let settings =
        Settings { policy: Policy { allow_private: true }, poll: Duration::from_millis(20), ..Settings::default() };
    for backend in Backend::available() {
        let (base, received) = receiver();
        // The server without a worker: events queue up.
        let server = TestServer::start(backend).await;
        let client = reqwest::Client::builder().pool_max_idle_per_host(CONNECTIONS).build().unwrap();
        ok(&client, &server, "product", "number=PB&name=Bench".into()).await;
        ok(&client, &server, "productmodule", "number=MS&productNumber=PB&name=S&licensingModel=Subscription".into())
            .await;
        let template =
            "number=ES&productModuleNumber=MS&name=M&licenseType=TIMEVOLUME&timeVolume=1&timeVolumePeriod=MONTH";
        ok(&client, &server, "licensetemplate", template.into()).await;
        ok(&client, &server, "licensee", "number=IB&productNumber=PB".into()).await;
        for _ in 0..10 {
            ok(&client, &server, "license", "licenseeNumber=IB&licenseTemplateNumber=ES&startDate=now".into()).await;
        }
        let without = validations(&client, &server).await;
        for n in 0..NOTIFICATIONS {
            let events = "LICENSEE_CREATED,LICENSE_CREATED,PAYMENT_TRANSACTION_PROCESSED,WARNING_LEVEL_CHANGED";
            let endpoint = format!("{base}/hook{n}").replace(':', "%3A").replace('/', "%2F");
            let form = format!("number=N{n}&name=n&protocol=WEBHOOK&events={events}&endpoint={endpoint}");
            ok(&client, &server, "notification", form).await;
        }
        let with = validations(&client, &server).await;
        for i in 0..LICENSEES {
            ok(&client, &server, "licensee", format!("number=IQ{i}&productNumber=PB")).await;
        }
        let events = NOTIFICATIONS * LICENSEES;
        let started = Instant::now();
        let delivery = Delivery::start(server.db.connection.clone(), settings).await.unwrap();
        while received.load(Ordering::Relaxed) < events {
            assert!(started.elapsed() < Duration::from_secs(600), "{} of {events}", received.load(Ordering::Relaxed));
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let rate = events as f64 / started.elapsed().as_secs_f64();
        delivery.shutdown().await;
        println!("\nWebhook benchmark on {backend:?}:");
        println!(
            "  delivery   {rate:>8.0} events/s ({events} events, {NOTIFICATIONS} notifications, receiver on loopback)"
        );
        println!(
            "  validate   {without:>8.0} requests/s without notifications, {with:.0} with {NOTIFICATIONS} (ratio {:.2}, target at least 0.90)",
            with / without
        );
        server.stop().await;
    }
}
