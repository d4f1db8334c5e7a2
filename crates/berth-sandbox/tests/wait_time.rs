//! Kopernik `waitTime`: a waiting create or delete answers as soon as its Action ends, and a
//! waiting request costs nothing while it waits (no rescans of the operations under the database
//! lock): other requests stay fast, and the server stays idle.

mod common;

use std::time::{Duration, Instant};

use common::{cpu_ticks_of_tree, eventually, Server};
use serde_json::{json, Value};

fn app(name: &str) -> Value {
    json!({"machineConfiguration": {"name": name, "regionUid": "us-east-1", "machineTypeUid": "t3.micro"},
           "containerImage": {"id": "nginx:1.27"}})
}

const PROVISION_MS: u64 = 1000;
/// How late after its Action ends a waiting request may answer.
const SLACK: Duration = Duration::from_millis(150);

#[test]
fn a_waiting_create_or_delete_answers_when_its_action_ends() {
    let s = Server::start(&["--demo", "--provision-ms", &PROVISION_MS.to_string()]);
    let provision = Duration::from_millis(PROVISION_MS);
    let started = Instant::now();
    let a = s
        .k(
            "POST",
            "/resource/containerapp/aws?waitTime=30",
            Some(&app("prompt")),
        )
        .expect(200)
        .json();
    let took = started.elapsed();
    assert_eq!(a["action"]["state"], "success", "{a}");
    assert!(took >= provision, "answered before the end: {took:?}");
    assert!(
        took < provision + SLACK,
        "answered {took:?} after the start"
    );
    let uid = a["action"]["resourceUid"]
        .as_str()
        .expect("uid")
        .to_string();

    let started = Instant::now();
    let d = s
        .k(
            "DELETE",
            &format!("/resource/containerapp/aws/{uid}?waitTime=30"),
            None,
        )
        .expect(200)
        .json();
    let took = started.elapsed();
    assert_eq!(d["action"]["state"], "success", "{d}");
    assert!(took >= provision, "answered before the end: {took:?}");
    assert!(
        took < provision + SLACK,
        "answered {took:?} after the start"
    );
    s.k("GET", &format!("/resource/containerapp/aws/{uid}"), None)
        .expect(404);

    // A wait shorter than the Action: a 202 at the end of the wait, still going.
    let started = Instant::now();
    let a = s
        .k(
            "POST",
            "/resource/containerapp/aws?waitTime=0.3",
            Some(&app("short")),
        )
        .expect(202)
        .json();
    let took = started.elapsed();
    assert!(a["action"]["state"] == "pending" || a["action"]["state"] == "running");
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_millis(300) + SLACK,
        "{took:?}"
    );
}

#[test]
fn twenty_pending_waits_cost_no_cpu_and_leave_other_requests_fast() {
    let s = Server::start(&["--demo", "--provision-ms", "6000"]);
    let server = &s;
    std::thread::scope(|scope| {
        let waits: Vec<_> = (0..20)
            .map(|i| {
                scope.spawn(move || {
                    server.k(
                        "POST",
                        "/resource/containerapp/aws?waitTime=30",
                        Some(&app(&format!("waiting-{i}"))),
                    )
                })
            })
            .collect();
        // Every create is in (its app listed, its Action pending) and its request waiting.
        eventually(Duration::from_secs(5), || {
            let listed = server
                .k("GET", "/resource/containerapp/aws?maxResults=1000", None)
                .expect(200)
                .json()["resources"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|a| {
                    a["name"]
                        .as_str()
                        .is_some_and(|n| n.starts_with("waiting-"))
                })
                .count();
            (listed == 20).then_some(())
        });
        assert!(
            waits.iter().all(|w| !w.is_finished()),
            "a create answered before its Action ended"
        );
        let before = cpu_ticks_of_tree(server.pid());
        let window = Instant::now();
        let mut worst = Duration::ZERO;
        // A measure over a window, not a wait: reads at a steady pace for 3 s, the CPU the
        // server's tree used meanwhile and the slowest read.
        while window.elapsed() < Duration::from_secs(3) {
            for path in ["/action/aws", "/resource/containerapp/aws?maxResults=1000"] {
                let t = Instant::now();
                server.k("GET", path, None).expect(200);
                worst = worst.max(t.elapsed());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let used = cpu_ticks_of_tree(server.pid()).saturating_sub(before);
        let secs = window.elapsed().as_secs_f64();
        eprintln!("20 pending waits: {used} CPU ticks in {secs:.1} s, slowest read {worst:?}");
        assert!(
            worst < Duration::from_millis(300),
            "a read took {worst:?} while 20 requests waited"
        );
        // The ticker and the reads above cost a few ticks a second (about 6 measured); 20 waits
        // that each rescanned every operation under the lock every 50 ms cost about 56.
        assert!(
            (used as f64) < 20.0 * secs,
            "{used} CPU ticks (1/100 s) in {secs:.1} s while 20 requests waited"
        );
        for w in waits {
            let a = w.join().expect("a waiting request").expect(200).json();
            assert_eq!(a["action"]["state"], "success", "{a}");
        }
    });
}
