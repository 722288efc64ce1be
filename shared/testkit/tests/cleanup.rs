//! No leaked processes: servers are killed when dropped, also while a panicking test unwinds.

use std::time::Duration;

use fluxion_testkit::{GitSshServer, Registry, wait_for_blocking};

fn alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat
            .split(") ")
            .nth(1)
            .is_some_and(|rest| rest.starts_with('Z')),
        Err(_) => false,
    }
}

fn gone(pid: u32) -> bool {
    wait_for_blocking(Duration::from_secs(5), Duration::from_millis(10), || {
        (!alive(pid)).then_some(())
    })
    .is_some()
}

#[test]
fn servers_die_on_drop() {
    let registry = Registry::start().expect("registry");
    let sshd = GitSshServer::start().expect("sshd");
    let (a, b) = (registry.pid(), sshd.pid());
    assert!(alive(a) && alive(b));
    drop(registry);
    drop(sshd);
    assert!(gone(a), "docker-registry {a} survived");
    assert!(gone(b), "sshd {b} survived");
}

#[test]
fn servers_die_when_a_test_panics() {
    let pids = std::sync::Mutex::new(Vec::new());
    let result = std::panic::catch_unwind(|| {
        let registry = Registry::start().expect("registry");
        let sshd = GitSshServer::start().expect("sshd");
        if let Ok(mut p) = pids.lock() {
            p.extend([registry.pid(), sshd.pid()]);
        }
        panic!("test body fails while servers run");
    });
    assert!(result.is_err());
    let pids = pids.into_inner().expect("pids");
    assert_eq!(pids.len(), 2);
    for pid in pids {
        assert!(gone(pid), "process {pid} survived the panic");
    }
}
