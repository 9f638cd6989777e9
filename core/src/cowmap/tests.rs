use super::*;
use std::collections::{BTreeMap, VecDeque};

#[test]
fn cowvec_behaves_like_a_vecdeque() {
    let mut v: CowVec<u32> = CowVec::new();
    let mut d: VecDeque<u32> = VecDeque::new();
    let mut snaps = Vec::new();
    for i in 0..5000u32 {
        v.push(i);
        d.push_back(i);
        if i % 3 == 0 {
            v.drop_front();
            d.pop_front();
        }
        if i % 7 == 0 {
            let (a, b) = (
                v.rfind_mut(|x| x % 5 == 0),
                d.iter_mut().rev().find(|x| **x % 5 == 0),
            );
            assert_eq!(a.is_some(), b.is_some());
            if let (Some(a), Some(b)) = (a, b) {
                *a += 1_000_000;
                *b += 1_000_000;
            }
        }
        if i % 500 == 0 {
            snaps.push((v.clone(), d.clone()));
        }
        assert_eq!(v.len(), d.len());
        assert_eq!(v.first(), d.front());
        assert_eq!(v.last(), d.back());
        assert_eq!(v.get(v.len() / 2), d.get(d.len() / 2));
        assert_eq!(
            v.partition_point(|x| x % 1_000_000 < i / 2),
            d.partition_point(|x| x % 1_000_000 < i / 2)
        );
    }
    for (v, d) in snaps {
        assert!(v.iter().eq(d.iter()));
        assert!(v.iter().rev().eq(d.iter().rev()));
    }
}

/// Keys that exercise every case of `Summary`: short, long with a shared
/// prefix (ties), zero bytes against padding, binary.
fn key(k: u32) -> Vec<u8> {
    match k % 4 {
        0 => format!("key:{}", k / 4).into_bytes(),
        1 => format!("user:session:long:{:06}", k / 4).into_bytes(),
        2 => [&b"a"[..], &[0; 40][..(k / 4 % 41) as usize]].concat(),
        _ => (k / 4).to_be_bytes().to_vec(),
    }
}

#[test]
fn summaries_order_like_keys() {
    let keys: Vec<Vec<u8>> = (0..800).map(key).collect();
    for a in &keys {
        for b in &keys {
            let (sa, sb) = (a.summary(), b.summary());
            if sa != sb {
                assert_eq!(sa.cmp(&sb), a.cmp(b), "{a:?} {b:?}");
            } else if sa as u8 != LONG {
                assert_eq!(a, b);
            }
        }
    }
}

#[test]
fn behaves_like_a_btreemap_and_clones_share() {
    let mut m: CowMap<Vec<u8>, u32> = CowMap::new();
    let mut b: BTreeMap<Vec<u8>, u32> = BTreeMap::new();
    let mut x: u32 = 7;
    let mut snaps = Vec::new();
    for step in 0..20_000u32 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let k = key((x >> 8) % 3000);
        match x % 5 {
            0..=2 => assert_eq!(m.insert(k.clone(), step), b.insert(k.clone(), step)),
            3 => assert_eq!(m.remove(&k[..]), b.remove(&k)),
            _ => {
                if let Some(v) = m.get_mut(&k) {
                    *v += 1;
                }
                if let Some(v) = b.get_mut(&k) {
                    *v += 1;
                }
            }
        }
        assert_eq!(m.get(&k[..]), b.get(&k));
        assert_eq!(m.contains_key(&k), b.contains_key(&k));
        assert_eq!(m.len(), b.len());
        assert_eq!(
            m.iter_after(&k[..]).next(),
            b.range::<Vec<u8>, _>((std::ops::Bound::Excluded(&k), std::ops::Bound::Unbounded))
                .next()
        );
        if step % 1000 == 0 {
            snaps.push((m.clone(), b.clone()));
        }
    }
    assert!(m.iter().eq(b.iter()));
    for (m, b) in snaps {
        assert!(m.iter().eq(b.iter()));
        assert!(m.iter().rev().eq(b.iter().rev()));
        for (c, h) in m.chunks.iter().zip(&m.heads) {
            assert!(!c.items.is_empty() && c.items.len() < CHUNK);
            assert_eq!(*h, c.items[0].0.summary());
            assert!(c
                .items
                .iter()
                .zip(&c.sums)
                .all(|(e, s)| e.0.summary() == *s));
        }
    }
}

#[test]
fn a_write_copies_only_the_chunk_it_touches() {
    let mut m: CowMap<Vec<u8>, u32> = (0..1000).map(|i| (key(i * 4), i)).collect();
    let snap = m.clone();
    *m.get_mut(&key(400)).expect("present") += 1;
    m.insert(key(404), 7);
    let shared = |m: &CowMap<Vec<u8>, u32>| {
        m.chunks
            .iter()
            .zip(&snap.chunks)
            .filter(|(a, b)| Rc::ptr_eq(a, b))
            .count()
    };
    assert_eq!(shared(&m), m.chunks.len() - 1);
    assert_eq!(snap.get(&key(400)[..]), Some(&100));
    assert_eq!(m.get(&key(400)[..]), Some(&101));
}
