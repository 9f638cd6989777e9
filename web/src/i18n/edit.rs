//! Texts of the scenario editor, links that carry a scenario, and the caps.

use super::{t, T};

pub const EDIT: T = t("Edit", "编辑");
pub const EDIT_TITLE: T = t(
    "Open this scenario in the editor: change it, run it, share it",
    "在编辑器中打开这个场景：修改、运行、分享",
);
pub const EDITOR: T = t("Scenario editor", "场景编辑器");
pub const WRITE_OWN: T = t("Write your own scenario", "编写自己的场景");
pub const RUN: T = t("Run", "运行");
pub const RUN_TITLE: T = t(
    "Open the scenario in the lab, as learners will see it",
    "在实验台中打开这个场景，和学员看到的一样",
);
pub const COPY_LINK: T = t("Copy link", "复制链接");
pub const COPIED: T = t("Link copied", "链接已复制");
pub const DOWNLOAD_TOML: T = t("Download .toml", "下载 .toml");
pub const OPEN_FILE: T = t("Open file…", "打开文件…");
pub const FORMAT_REF: T = t("Format reference", "格式参考");
pub const DISCARD: T = t("Discard draft", "丢弃草稿");
pub const DISCARD_CONFIRM: T = t(
    "Discard your draft and start from the template?",
    "丢弃草稿，从模板重新开始？",
);
pub const REPLACE_DRAFT: T = t(
    "Your earlier draft is kept. Restore it?",
    "你之前的草稿已保留。要恢复吗？",
);
pub const RESTORE: T = t("Restore", "恢复");
pub const DRAFT_SAVED: T = t("Draft saved in this browser", "草稿已保存在本浏览器中");
pub const CHECKING: T = t("Checking…", "检查中…");
pub const LOADS_OK: T = t(
    "Loads: {0} nodes, {1} s, {2} steps, {3} goals",
    "可以加载：{0} 个节点，{1} 秒，{2} 个步骤，{3} 个目标",
);
pub const LINE_COL: T = t("line {0}, column {1}", "第 {0} 行，第 {1} 列");
pub const LINK_SIZE: T = t("Link: {0} characters", "链接长度：{0} 个字符");
pub const DROP_HERE: T = t(
    "Drop a .toml file here to open it",
    "把 .toml 文件拖到这里即可打开",
);
pub const FILE_TOO_BIG: T = t(
    "{0} is {1} bytes: a scenario may be at most {2} bytes",
    "{0} 有 {1} 字节：场景文件最多 {2} 字节",
);
pub const FILE_UNREADABLE: T = t("{0} could not be read: {1}", "无法读取 {0}：{1}");
pub const EDITOR_TEXT: T = t("Scenario file (TOML)", "场景文件（TOML）");
pub const LIMIT_TEXT: T = t(
    "Too long: a scenario may be at most {0} bytes.",
    "文件过长：场景最多 {0} 字节。",
);
pub const LIMIT_NODES: T = t(
    "Too many nodes: a scenario may have at most {0}.",
    "节点过多：场景最多 {0} 个节点。",
);
pub const LIMIT_DURATION: T = t(
    "Too long a run: `duration_s` may be at most {0} (one day).",
    "运行时间过长：`duration_s` 最多 {0}（一天）。",
);
pub const LINK_TOO_LONG: T = t(
    "This link is too long ({0}): a link may carry at most {1} characters of scenario. Nothing was opened.",
    "链接过长（{0}）：链接中的场景最多 {1} 个字符。没有打开任何内容。",
);
pub const LINK_DAMAGED: T = t(
    "This link's scenario cannot be read ({0}): the link was cut or changed. Ask for the link again.",
    "无法读取链接中的场景（{0}）：链接被截断或改动过。请重新获取链接。",
);
pub const LINK_DOES_NOT_LOAD: T = t(
    "The scenario in this link does not load. It is open in the editor, with the error.",
    "链接中的场景无法加载，已在编辑器中打开，并标出了错误。",
);
pub const IMPORT: T = t("Import configuration", "导入配置");
pub const IMPORT_HINT: T = t(
    "Paste a redis.conf, a sentinel.conf, the output of CONFIG GET * or of INFO replication",
    "粘贴 redis.conf、sentinel.conf，或 CONFIG GET *、INFO replication 的输出",
);
pub const IMPORT_INTO: T = t("into node", "导入到节点");
pub const IMPORT_APPLY: T = t("Apply", "应用");
pub const IMPORT_SKIPPED: T = t("Not imported ({0}):", "未导入（{0} 项）：");
pub const IMPORT_DONE: T = t(
    "{0} settings imported into {1}.",
    "已向 {1} 导入 {0} 项设置。",
);
pub const EDIT_FAILED: T = t(
    "The scenario could not be opened in the editor: {0}",
    "无法在编辑器中打开这个场景：{0}",
);
pub const COLON: T = t(": ", "：");
pub const IMPORT_FORMAT: T = t("Read as {0}.", "识别为 {0}。");
pub const IMPORT_REPLICAOF_ONLY: T = t(
    "{0} is now a replica of {1} (INFO replication gives no settings).",
    "{0} 现在是 {1} 的从库（INFO replication 不含配置项）。",
);
pub const IMPORT_TOO_LONG: T = t(
    "The text is {0} bytes: at most {1} can be imported.",
    "文本有 {0} 字节：最多只能导入 {1} 字节。",
);
pub const IMPORT_TOO_MANY_LINES: T = t(
    "The text has {0} lines: at most {1} can be imported.",
    "文本有 {0} 行：最多只能导入 {1} 行。",
);
pub const IMPORT_EMPTY: T = t(
    "Nothing to import: only blank lines and comments.",
    "没有可导入的内容：只有空行和注释。",
);
pub const IMPORT_FIX_FIRST: T = t(
    "Fix the scenario's error first: {0}",
    "请先修正场景中的错误：{0}",
);
pub const IMPORT_NO_NODE: T = t("There is no node {0}.", "没有名为 {0} 的节点。");
pub const IMPORT_WRONG_KIND: T = t(
    "{0} is a {1} node; this text configures a {2}.",
    "{0} 是 {1} 节点，而这段文本配置的是 {2}。",
);
pub const IMPORT_NO_NODE_AT: T = t(
    "No node of this deployment is at {0}:{1}: point replicaof or sentinel monitor at one of its addresses (10.0.0.1:6379 is the first node).",
    "本部署中没有节点位于 {0}:{1}：请让 replicaof 或 sentinel monitor 指向部署中的地址（第一个节点是 10.0.0.1:6379）。",
);
pub const IMPORT_LAYOUT: T = t(
    "The node's `{0}` is written in a form the import cannot change in place (dotted keys or a sub-table): edit it by hand.",
    "该节点的 `{0}` 写法（点分键或子表）无法原地修改：请手动编辑。",
);
pub const IMPORT_RELOAD: T = t(
    "With the import, the scenario no longer loads: {0}",
    "导入后场景无法加载：{0}",
);
pub const WHY_NOT_MODELLED: T = t("not modelled by the lab", "实验室未模拟此项");
pub const WHY_STATE: T = t("state, not configuration", "运行状态，不是配置");
pub const WHY_CLUSTER: T = t(
    "a cluster setting: set it in the scenario's [cluster]",
    "集群配置：请写在场景的 [cluster] 中",
);
pub const WHY_ADDRESS: T = t(
    "the lab gives each node its address",
    "地址由实验室为每个节点分配",
);
pub const WHY_OVERRIDDEN: T = t("overridden by line {0}", "被第 {0} 行覆盖");
pub const WHY_ALIAS: T = t("the same parameter as '{0}'", "与 '{0}' 是同一个参数");
pub const WHY_EXTRA_MONITOR: T = t(
    "a lab Sentinel monitors one master",
    "实验室中的 Sentinel 只监控一个主库",
);
pub const WHY_INVALID: T = t("invalid: {0}", "无效：{0}");
pub const WHY_UNREADABLE: T = t(
    "Redis cannot read this line: {0}",
    "Redis 无法读取这一行：{0}",
);
pub const WHY_UNSUPPORTED: T = t("a value the lab cannot hold", "实验室无法表示这个值");
pub const WHY_NO_VALUE: T = t("a name without a value", "只有名称，没有值");
pub const WHY_UNEXPECTED: T = t(
    "not part of the recognised output",
    "不属于识别出的输出格式",
);
pub const SKIPPED_LINE: T = t("line {0}: {1}: {2}", "第 {0} 行：{1}：{2}");
pub const LINK_FAILED: T = t(
    "This browser could not compress the scenario into a link ({0}). Download the .toml instead.",
    "这个浏览器无法把场景压缩成链接（{0}）。请改用下载 .toml。",
);
