//! A server's config table as CONFIG GET and CONFIG SET see it: the
//! replication and expiry parameters (`RedisConf`), then the cluster's
//! (`cluster::config`). The page's CONFIG SET form lists what this says
//! CONFIG SET can change, so the list has one place.

use crate::redis::{RedisConf, RedisNode};

impl RedisNode {
    /// Every entry of the table (aliases as their own entries), with its
    /// value now, in the lab's order.
    pub fn config_table(&self) -> Vec<(&'static str, String)> {
        self.conf
            .entries()
            .chain(crate::cluster::config_entries(
                &self.cluster_spec(),
                self.cluster.is_some(),
            ))
            .collect()
    }

    /// The parameters CONFIG SET can change, by their own names (no
    /// aliases, nothing immutable), in the lab's order.
    pub fn config_set_params() -> Vec<&'static str> {
        RedisConf::params()
            .chain(crate::cluster::config_params())
            .map(|(name, _, _)| name)
            .filter(|name| !crate::cluster::config_immutable(name))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use crate::redis::RedisNode;

    #[test]
    fn what_config_set_can_change_is_the_table_less_aliases_and_immutables() {
        let params = RedisNode::config_set_params();
        assert!(params.contains(&"min-replicas-to-write"));
        assert!(params.contains(&"cluster-node-timeout"));
        assert!(!params.contains(&"min-slaves-to-write"), "no alias");
        assert!(!params.contains(&"cluster-enabled"), "immutable");
        let distinct: std::collections::BTreeSet<_> = params.iter().collect();
        assert_eq!(distinct.len(), params.len());
    }
}
