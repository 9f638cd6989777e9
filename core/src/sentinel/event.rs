//! The events a Sentinel publishes (`sentinelEvent`), typed: the kind, and
//! the payload as Redis words it. The text form, `<type> <payload>`, is
//! what Sentinel logs and publishes on the channel named after the type,
//! and what the trace line shows (so the trace hash is unchanged by typing).

use serde::{Serialize, Serializer};

macro_rules! kinds {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)*) => {
        /// An event type; `name()` is Redis's exact text (`+sdown`, ...).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum SentinelEventKind {
            $($(#[$doc])* $variant,)*
        }

        impl SentinelEventKind {
            /// Every kind, in Redis's order of the documentation.
            pub const ALL: &'static [SentinelEventKind] = &[$(SentinelEventKind::$variant,)*];

            /// The type as Sentinel prints and publishes it.
            pub fn name(self) -> &'static str {
                match self {
                    $(SentinelEventKind::$variant => $text,)*
                }
            }
        }
    };
}

kinds! {
    Monitor = "+monitor",
    Sdown = "+sdown",
    /// Subjectively up again.
    SdownCleared = "-sdown",
    Odown = "+odown",
    /// Objectively up again.
    OdownCleared = "-odown",
    NewEpoch = "+new-epoch",
    TryFailover = "+try-failover",
    VoteForLeader = "+vote-for-leader",
    ElectedLeader = "+elected-leader",
    FailoverAbortNotElected = "-failover-abort-not-elected",
    FailoverStateSelectSlave = "+failover-state-select-slave",
    SelectedSlave = "+selected-slave",
    FailoverAbortNoGoodSlave = "-failover-abort-no-good-slave",
    FailoverStateSendSlaveofNoone = "+failover-state-send-slaveof-noone",
    FailoverStateWaitPromotion = "+failover-state-wait-promotion",
    FailoverAbortSlaveTimeout = "-failover-abort-slave-timeout",
    PromotedSlave = "+promoted-slave",
    FailoverStateReconfSlaves = "+failover-state-reconf-slaves",
    SlaveReconfSent = "+slave-reconf-sent",
    SlaveReconfInprog = "+slave-reconf-inprog",
    SlaveReconfDone = "+slave-reconf-done",
    SlaveReconfSentTimeout = "-slave-reconf-sent-timeout",
    /// Best effort: reconfiguring the replicas after the failover timeout.
    SlaveReconfSentBe = "+slave-reconf-sent-be",
    FailoverEnd = "+failover-end",
    FailoverEndForTimeout = "+failover-end-for-timeout",
    SwitchMaster = "+switch-master",
    ConfigUpdateFrom = "+config-update-from",
    ConvertToSlave = "+convert-to-slave",
    FixSlaveConfig = "+fix-slave-config",
    /// A replica was discovered (or re-added).
    Slave = "+slave",
    /// Another Sentinel was discovered.
    Sentinel = "+sentinel",
    Reboot = "+reboot",
    /// The reported role is what Sentinel expects.
    RoleChange = "+role-change",
    /// The reported role is not what Sentinel expects.
    RoleChangeUnexpected = "-role-change",
    Tilt = "+tilt",
    TiltExited = "-tilt",
}

/// One event: `<type> <payload>`, e.g. `+sdown master mymaster 10.0.0.1 6379`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentinelEvent {
    pub kind: SentinelEventKind,
    /// Everything after the type and one space, as Redis words it.
    pub payload: String,
}

impl std::fmt::Display for SentinelEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.kind.name(), self.payload)
    }
}

/// Serialized as its text (the trace's JSON shape predates the typing).
impl Serialize for SentinelEvent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The full list of Sentinel 7.0's event types (redis-facts.md §10,
    /// from sentinel.c); every kind here is one of them, spelled exactly.
    const REDIS_TYPES: &str = "+monitor -monitor +reset-master +sdown -sdown +odown -odown \
        +new-epoch +try-failover +vote-for-leader +elected-leader -failover-abort-not-elected \
        +failover-state-select-slave +selected-slave -failover-abort-no-good-slave \
        +failover-state-send-slaveof-noone +failover-state-wait-promotion \
        -failover-abort-slave-timeout +promoted-slave +failover-state-reconf-slaves \
        +slave-reconf-sent +slave-reconf-inprog +slave-reconf-done -slave-reconf-sent-timeout \
        +slave-reconf-sent-be +failover-end +failover-end-for-timeout +switch-master \
        +config-update-from +convert-to-slave +fix-slave-config +slave +sentinel \
        +sentinel-address-switch +sentinel-address-update +sentinel-invalid-addr +reboot \
        +role-change -role-change +tilt -tilt +set -script-error -script-timeout";

    #[test]
    fn every_kind_is_a_redis_event_type_once() {
        let redis: Vec<&str> = REDIS_TYPES.split_whitespace().collect();
        let mut seen = Vec::new();
        for k in SentinelEventKind::ALL {
            assert!(redis.contains(&k.name()), "{k:?} = {}", k.name());
            assert!(!seen.contains(&k.name()), "{} twice", k.name());
            seen.push(k.name());
        }
    }

    #[test]
    fn text_is_type_space_payload() {
        let e = SentinelEvent {
            kind: SentinelEventKind::Odown,
            payload: "master mymaster 10.0.0.1 6379 #quorum 2/2".into(),
        };
        assert_eq!(
            e.to_string(),
            "+odown master mymaster 10.0.0.1 6379 #quorum 2/2"
        );
    }
}
