//! The outbox survives a crash: the server binary killed with SIGKILL while events are pending delivers every
//! one of them after a restart (duplicates only with the same id).

use std::{collections::HashSet, time::Duration};

use crate::{
    common::process::{Scratch, Server, command},
    webhooks::{Receiver, enc},
};

const EVENTS: usize = 1000;

async fn post(client: &reqwest::Client, server: &Server, path: &str, form: String) {
    let response = client
        .post(server.api(path))
        .basic_auth("demo", Some("demo"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
}

fn binary(scratch: &Scratch) -> std::process::Command {
    let mut command = command(&[]);
    command
        .env("DATABASE_URL", scratch.sqlite_url())
        .env("NETLICENSING_WEBHOOK_ALLOW_PRIVATE", "true")
        .env("NETLICENSING_WEBHOOK_TIMEOUT", "1")
        .env("NETLICENSING_ACCESS_LOG", "false");
    command
}

#[tokio::test]
async fn a_killed_server_delivers_every_pending_event_after_restart() {
    let scratch = Scratch::new();
    let receiver = Receiver::start();
    // A slow receiver: most events are still queued when the server is killed.
    receiver.delay(40);
    let mut first = Server::start(&scratch.0, "first", binary(&scratch)).await;
    let client = reqwest::Client::new();
    let endpoint = enc(&receiver.url("/hook"));
    post(
        &client,
        &first,
        "notification",
        format!("number=N1&name=n&protocol=WEBHOOK&events=LICENSEE_CREATED&endpoint={endpoint}"),
    )
    .await;
    post(&client, &first, "product", "number=P1&name=One".into()).await;
    for start in (0..EVENTS).step_by(16) {
        let creates = (start..EVENTS.min(start + 16))
            .map(|i| post(&client, &first, "licensee", format!("number=I{i}&productNumber=P1")));
        futures_util::future::join_all(creates).await;
    }
    first.child.kill().expect("SIGKILL");
    first.child.wait().ok();
    let before = receiver.hits("/hook").len();
    assert!(before < EVENTS, "events were pending at the kill ({before} delivered)");

    receiver.delay(0);
    let mut second = Server::start(&scratch.0, "second", binary(&scratch)).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(180);
    loop {
        let ids: HashSet<String> = receiver.hits("/hook").iter().map(|h| h.header("webhook-id").to_owned()).collect();
        if ids.len() == EVENTS {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{} of {EVENTS} events delivered", ids.len());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let hits = receiver.hits("/hook");
    let numbers: HashSet<String> = hits
        .iter()
        .map(|h| h.json()["entities"]["Licensee"][0]["number"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(numbers.len(), EVENTS, "every licensee announced");
    let mut by_id = std::collections::HashMap::new();
    for hit in &hits {
        let body = by_id.entry(hit.header("webhook-id").to_owned()).or_insert_with(|| hit.body.clone());
        assert_eq!(*body, hit.body, "a duplicate carries the same id and body");
    }
    assert!(second.terminate().success());
    assert!(second.output().contains("webhook delivery stopped: 0 events queued"), "{}", second.output());
    receiver.stop().await;
}
