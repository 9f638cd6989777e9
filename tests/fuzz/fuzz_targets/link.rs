//! The link's hash (`replilab_web::permalink`): `parse_hash`, the sandbox's
//! `topo=`, and both schedules (`s=`, `cmp=`, old link codes included)
//! against the sandbox (a master and two replicas), as `route::open` reads
//! them; a schedule that decodes is replayed up to `t` (at most 3 s).
#![no_main]

use libfuzzer_sys::fuzz_target;
use replilab_core::scenario::sandbox::Topo;
use replilab_core::timeline::{Session, Source};
use replilab_web::permalink;

thread_local! {
    static BASE: Session = Session::new(Source::Sandbox(Topo::default()), Some(1));
}

fuzz_target!(|data: &[u8]| {
    let hash = String::from_utf8_lossy(data);
    let link = permalink::parse_hash(&hash);
    if let Some(topo) = &link.topo {
        let _ = Topo::parse(topo);
    }
    let _ = permalink::decode(&hash);
    let mut session = BASE.with(|b| b.clone());
    if let Some(cmp) = &link.compare {
        let _ = permalink::decode_schedule(&session.sim, cmp, Some(3_000));
    }
    let Some(s) = &link.schedule else {
        return;
    };
    let Ok(entries) = permalink::decode_schedule(&session.sim, s, None) else {
        return;
    };
    let again = permalink::encode_schedule(&entries);
    assert_eq!(
        permalink::decode_schedule(&session.sim, &again, None).as_ref(),
        Ok(&entries),
        "{again}"
    );
    session.schedule = entries;
    let t = link.t_ms.unwrap_or(3_000).min(3_000);
    let _ = match link.events {
        Some(e) => session.seek_event(t, e),
        None => session.seek(t),
    };
});
