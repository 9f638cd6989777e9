//! Every string of the interface, in English and 简体中文.
//!
//! A string is a `T { en, zh }` constant; components call `lang.t(X)`.
//! Strings with arguments use `{0}`, `{1}` placeholders (`lang.f(X, &[..])`).
//! Lesson text comes from the lesson files, which carry both languages too.

use replilab_core::scenario::format::Text;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct T {
    pub en: &'static str,
    pub zh: &'static str,
}

const fn t(en: &'static str, zh: &'static str) -> T {
    T { en, zh }
}

mod edit;
mod learn;
#[allow(unused_imports)] // the build script includes this file without using them
pub use edit::*;
#[allow(unused_imports)]
pub use learn::*;

impl Lang {
    pub fn t(self, s: T) -> &'static str {
        match self {
            Lang::En => s.en,
            Lang::Zh => s.zh,
        }
    }
    /// `s` with `{0}`, `{1}`, ... replaced by `args`.
    pub fn f(self, s: T, args: &[&str]) -> String {
        let mut out = self.t(s).to_string();
        for (i, a) in args.iter().enumerate() {
            out = out.replace(&format!("{{{i}}}"), a);
        }
        out
    }
    /// Lesson text in this language (falls back to the other if empty).
    pub fn text(self, s: &Text) -> String {
        let (a, b) = match self {
            Lang::En => (&s.en, &s.zh),
            Lang::Zh => (&s.zh, &s.en),
        };
        if a.is_empty() {
            b.clone()
        } else {
            a.clone()
        }
    }
    /// A built-in (English, 简体中文) pair in this language (falls back to
    /// the other if empty).
    pub fn pair<'a>(self, (en, zh): (&'a str, &'a str)) -> &'a str {
        let (a, b) = match self {
            Lang::En => (en, zh),
            Lang::Zh => (zh, en),
        };
        if a.is_empty() {
            b
        } else {
            a
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

// --- header and landing
/// The bottom panel's name (its tabs: events, ledger, Sentinels, charts, cluster).
pub const RECORDS: T = t("Events and records", "事件与记录");
pub const BRAND_TAG: T = t("Redis replication lab", "Redis 复制实验室");
pub const LANDING_LEDE: T = t(
    "Real Redis 7.0 replication and Sentinel, simulated deterministically in your browser. Pick a lesson: each one pauses to ask what you expect, then shows what Redis really does.",
    "在浏览器里确定性地模拟 Redis 7.0 的复制与哨兵。选一节课：每节课都会先停下来问你的预测，再展示 Redis 真实的行为。",
);
pub const LESSONS: T = t("Lessons", "课程");
pub const MINUTES: T = t("about {0} min", "约 {0} 分钟");
pub const START: T = t("Start", "开始");
pub const SANDBOX: T = t("Sandbox", "沙盒");
pub const SANDBOX_SUMMARY: T = t(
    "One master and two replicas 40 ms and 120 ms away. No script: type commands, inject faults, watch the stream.",
    "一个主库和两个从库，分别相距 40 毫秒和 120 毫秒。没有剧本：输入命令、注入故障、观察复制流。",
);
pub const SANDBOX_SOURCE: T = t("free play", "自由练习");
// The brand link's name: it starts with the brand's visible text (WCAG 2.5.3).
pub const ALL_LESSONS: T = t("replilab: all lessons", "replilab：全部课程");
pub const SHARE: T = t("Copy link", "复制链接");
pub const SHARE_DONE: T = t("Link copied", "链接已复制");
pub const THEME_LIGHT: T = t("Light theme", "浅色主题");
pub const THEME_DARK: T = t("Dark theme", "深色主题");
pub const LANGUAGE: T = t("Language", "语言");
pub const SHORTCUTS: T = t("Keyboard shortcuts", "键盘快捷键");
pub const CLOSE: T = t("Close", "关闭");
pub const EXPORT: T = t("Export", "导出");
pub const EXPORT_TRACE: T = t("Trace (JSON)", "事件轨迹（JSON）");
pub const EXPORT_SVG: T = t("Diagram (SVG)", "时空图（SVG）");
pub const EXPORT_CONF: T = t("redis.conf / sentinel.conf", "redis.conf / sentinel.conf");
pub const EXPORT_TOO_LONG: T = t(
    "This run has {0} events so far; a trace export holds at most {1} (a file of about 300 MB). Export from a link to an earlier moment.",
    "这次运行到现在已有 {0} 个事件，导出的事件轨迹最多 {1} 个（文件约 300 MB）。请打开指向更早时刻的链接再导出。",
);

// --- errors
pub const BAD_TOPOLOGY: T = t(
    "This link's sandbox topology has bad values ({0}); their defaults are used.",
    "链接中的沙盒拓扑有无效值（{0}），已改用默认值。",
);
pub const BAD_LINK: T = t(
    "This link could not be read ({0}). The lesson opens at its start instead.",
    "无法读取这个链接（{0}）。已改为从课程开头打开。",
);
pub const UNKNOWN_LESSON: T = t(
    "There is no lesson \"{0}\". Pick one below.",
    "没有名为“{0}”的课程。请在下面选择一节。",
);
pub const LOADING_LESSON: T = t("Loading the lesson…", "正在加载课程…");
pub const LESSON_FETCH_FAILED: T = t(
    "The lesson \"{0}\" could not be loaded ({1}). Check the connection and reload the page, or pick another lesson below.",
    "无法加载课程“{0}”（{1}）。请检查网络后刷新页面，或在下面另选一节。",
);
pub const BROKEN_LESSON: T = t(
    "This lesson file has an error: {0}",
    "这个课程文件有错误：{0}",
);
pub const RUN_STOPPED: T = t("The simulation stopped: {0}", "模拟已停止：{0}");
pub const DISMISS: T = t("Dismiss", "关闭提示");
pub const FORKED: T = t(
    "Forked at {0}: {1} later action(s) of yours were dropped.",
    "已在 {0} 处分叉：你之后的 {1} 个操作已丢弃。",
);
pub const FORKED_KEPT: T = t(
    "Forked at {0}: {1} later action(s) of yours are kept as branch A. Compare shows both branches side by side; ending the comparison drops them.",
    "已在 {0} 处分叉：你之后的 {1} 个操作保留在分支 A 中。“对比”会并排显示两个分支；结束对比即丢弃它们。",
);
pub const FORKED_RUN_KEPT: T = t(
    "Forked at {0}: the run you had is kept as branch A, and what you do now makes branch B. Both are shown side by side; End keeps only the live one.",
    "已在 {0} 处分叉：原来的运行保留为分支 A，你现在的操作形成分支 B。两个分支并排显示；“结束对比”只保留当前分支。",
);
pub const BAD_SPACING: T = t(
    "This link's diagram spacing \"{0}\" is unknown (time or order); the diagram picks its own.",
    "链接中的时空图间距“{0}”无法识别（应为 time 或 order），已由时空图自动选择。",
);
pub const BAD_FOLD: T = t(
    "This link folds an unknown panel, \"{0}\"; every panel is shown.",
    "链接要折叠的面板“{0}”无法识别，已显示全部面板。",
);
pub const BAD_COMPARE: T = t(
    "This link's comparison could not be read ({0}). The lesson opens without it.",
    "无法读取链接中的对比分支（{0}）。已在没有对比的情况下打开课程。",
);

// --- comparison of two branches (components/compare.rs)
pub const COMPARE: T = t("Compare", "对比");
pub const COMPARE_AB: T = t("Compare A/B", "对比 A/B");
pub const COMPARE_HINT: T = t(
    "Keep this run as branch A, then change something in branch B: both play side by side",
    "把当前运行保留为分支 A，再在分支 B 中做改动：两个分支并排播放",
);
pub const COMPARE_TITLE: T = t("Branches A and B", "分支 A 与 B");
pub const COMPARE_LIVE: T = t(
    "The live branch is {0}: the other views show it, and what you do applies to it only.",
    "当前分支是 {0}：其他视图显示的都是它，你的操作也只作用于它。",
);
pub const COMPARE_NEW: T = t(
    "Change something now, for example CONFIG SET in the fault toolbar or the console: it applies to branch {0} only.",
    "现在做些改动，例如用故障工具栏或控制台执行 CONFIG SET：改动只作用于分支 {0}。",
);
pub const SWAP: T = t("Make {0} live", "切换到 {0}");
pub const END_COMPARE: T = t("End, keep {0}", "结束对比，保留 {0}");
pub const BRANCH: T = t("Branch {0}", "分支 {0}");
pub const LIVE_TAG: T = t("live", "当前");
pub const LIVE_SHORT: T = t("live: {0}", "当前：{0}");
pub const DIVERGE_AT: T = t("The runs part at {0}", "两次运行在 {0} 分开");
pub const SAME_SO_FAR: T = t(
    "The traces are identical so far.",
    "到目前为止，两条轨迹完全相同。",
);
pub const ACTIONS_DIFFER: T = t(
    "Your actions differ from {0}: play on to see where the runs part.",
    "两个分支的操作从 {0} 起不同：继续播放，看两次运行在哪里分开。",
);
pub const NO_EVENT: T = t("(no event)", "（无事件）");
pub const DIFFERS: T = t("differs", "不同");
pub const DIFF_LEGEND: T = t(
    "≠ and bold type: the figure differs between the branches, both taken at the playhead.",
    "≠ 与粗体：该数值在两个分支中不同（两者都取自当前播放位置）。",
);
pub const FIGURE: T = t("Figure", "指标");
pub const LOST_WRITES: T = t("lost writes", "丢失的写入");
pub const LOST_LINE: T = t(
    "lost writes: A {0} {1} B {2}",
    "丢失的写入：A {0} {1} B {2}",
);
pub const GOALS_PASSED: T = t("goals passed", "达成的目标");
pub const REDIS_NODES: T = t("Redis nodes", "Redis 节点");
pub const LINK_UP: T = t("link up", "链路正常");
pub const LINK_DOWN: T = t("link down", "链路断开");
pub const N_REPLICAS: T = t("{0} replicas", "{0} 个从库");
pub const ONE_REPLICA: T = t("1 replica", "1 个从库");
pub const N_KEYS: T = t("{0} keys", "{0} 个键");
pub const ONE_KEY: T = t("1 key", "1 个键");
pub const BRANCH_STOPPED: T = t("Branch {0} stopped: {1}", "分支 {0} 已停止：{1}");

// --- transport
pub const PLAY: T = t("Play", "播放");
pub const PAUSE: T = t("Pause", "暂停");
pub const STEP_BACK: T = t("Previous event", "上一个事件");
pub const STEP_FWD: T = t("Next event", "下一个事件");
pub const TO_START: T = t("Back to the start", "回到开头");
pub const SPEED: T = t("Speed", "速度");
pub const TIME: T = t("Time", "时间");
pub const SCRUBBER: T = t("Playhead (simulated time)", "播放位置（模拟时间）");
pub const PLAYBACK: T = t("Playback", "播放控制");

// --- panels
pub const NARRATIVE: T = t("Lesson", "课程");
pub const STEP_OF: T = t("Step {0} of {1}", "第 {0} 步，共 {1} 步");
pub const PREDICT: T = t("Your prediction", "你的预测");
pub const PREDICT_HINT: T = t("Choose, then press Play.", "先选择，再按播放。");
pub const RIGHT: T = t("You predicted right.", "你预测对了。");
pub const WRONG: T = t("Not quite: the answer is “{0}”.", "不太对：答案是“{0}”。");
pub const ANSWER: T = t("The answer: “{0}”.", "答案：“{0}”。");
pub const WHY: T = t("Why", "原因");
pub const SEE_EVENT: T = t("See it in the diagram:", "在时空图中查看：");
pub const CONTINUE: T = t("Continue", "继续");
pub const PREV_STEP: T = t("Previous step", "上一步");
pub const GOALS: T = t("Goals", "目标");
pub const GOAL_PENDING_AT: T = t("checked at {0}", "在 {0} 检查");
pub const GOAL_SO_FAR: T = t("so far: {0} (wanted {1})", "目前：{0}（期望 {1}）");
pub const GOAL_GOT: T = t("got {0} (wanted {1})", "结果 {0}（期望 {1}）");
pub const LESSON_DONE: T = t(
    "Lesson complete. Try the sandbox or fork the run.",
    "课程完成。可以去沙盒试试，或分叉这次运行。",
);
pub const SANDBOX_HELP: T = t(
    "Type at redis-cli below (SET k v on m), right-click a node for faults, or use the fault toolbar. Everything you do is recorded with its time: the share link replays it exactly.",
    "在下方 redis-cli 输入命令（比如在 m 上 SET k v），右键点击节点注入故障，或使用故障工具栏。你做的每件事都会连同时间记录下来：分享链接能精确重放。",
);
pub const SCHEDULE: T = t("Your actions", "你的操作");
pub const SCHEDULE_EMPTY: T = t("None yet.", "还没有。");

pub const TOPOLOGY: T = t("Topology", "拓扑");
pub const DIAGRAM: T = t("Space-time diagram", "时空图");
pub const WINDOW: T = t("Window", "时间窗口");
pub const FILTERS: T = t("Messages", "消息");
pub const TOO_MANY: T = t(
    "{0} messages in view; showing {1}. Narrow the window.",
    "视图中有 {0} 条消息，只显示 {1} 条。请缩小时间窗口。",
);
pub const INSPECTOR: T = t("Inspector", "节点详情");
pub const SPACING: T = t("Spacing of events", "事件间距");
pub const SPACING_HINT: T = t(
    "Real time: across is simulated time. Event order: each event gets the next column, evenly spaced, in the order of the run (a delivery after its send, as ShiViz draws), so messages of a millisecond stay apart.",
    "按时间：横轴就是模拟时间。按事件顺序：每个事件按运行中的先后（接收一定在发送之后，和 ShiViz 的画法一样）各占一列、等距排开，只有 1 毫秒的消息也不会挤成一条竖线。",
);
pub const ORDER_CUT: T = t(
    "Event order: the last {0} of the window's {1} events, from {2}.",
    "按事件顺序：显示时间窗口内 {1} 个事件中的最后 {0} 个，从 {2} 开始。",
);
pub const NODE: T = t("Node", "节点");
pub const KEYSPACE: T = t("Keyspace", "键空间");
pub const NO_KEYS: T = t("(empty)", "（空）");
pub const MORE_KEYS: T = t("… {0} more", "… 还有 {0} 个");
pub const TTL_OWN_CLOCK: T = t(
    "TTLs on this node's own clock",
    "TTL 按该节点自己的时钟计算",
);
pub const OFFSET_TAPE: T = t("Offset tape", "偏移量磁带");
pub const BACKLOG: T = t("backlog", "积压缓冲区");
pub const WOULD_PARTIAL: T = t(
    "{0} reconnecting now: +CONTINUE (partial, offset {1} is in the backlog)",
    "{0} 现在重连：+CONTINUE（部分同步，偏移量 {1} 在积压缓冲区内）",
);
pub const WOULD_FULL: T = t(
    "{0} reconnecting now: +FULLRESYNC (offset {1} is outside the backlog)",
    "{0} 现在重连：+FULLRESYNC（偏移量 {1} 不在积压缓冲区内）",
);
pub const WOULD_FULL_HISTORY: T = t(
    "{0} reconnecting now: +FULLRESYNC (its replication ID is not this master's history up to offset {1})",
    "{0} 现在重连：+FULLRESYNC（其复制 ID 不属于该主库到偏移量 {1} 为止的历史）",
);
pub const NO_BACKLOG: T = t(
    "No backlog yet: a replica reconnecting now needs a full sync.",
    "还没有积压缓冲区：现在重连的从库需要全量同步。",
);
pub const CRASHED: T = t("crashed", "已崩溃");
pub const PAUSED: T = t("paused", "已暂停");
pub const RUNNING: T = t("running", "运行中");
pub const MASTER: T = t("master", "主库");
pub const REPLICA: T = t("replica", "从库");
pub const SENTINEL: T = t("Sentinel", "哨兵");
pub const CLIENT: T = t("client", "客户端");
pub const CLIENT_OPS: T = t(
    "{0} operations, {1} ok, {2} failed",
    "{0} 次操作，{1} 次成功，{2} 次失败",
);
pub const LAST_OPS: T = t("Last operations", "最近的操作");

// --- bottom tabs
pub const CONSOLE: T = t("redis-cli", "redis-cli");
pub const COMMAND: T = t("Command", "命令");
pub const WAITING: T = t("(waiting…)", "（等待中…）");
// The event list (Redis's own words, log lines and Sentinel events, stay as Redis prints them).
pub const EV_APPLY: T = t("applied {0} · offset {1}", "应用 {0} · 偏移量 {1}");
pub const EV_FEED: T = t("stream ← {0} · offset {1}", "复制流 ← {0} · 偏移量 {1}");
pub const EV_ROLE: T = t("role {0}", "角色 {0}");
pub const EV_FULL: T = t("full sync for {0}: {1}", "为 {0} 全量同步：{1}");
pub const EV_PARTIAL: T = t("partial sync for {0}: {1}", "为 {0} 部分同步：{1}");
pub const EV_EXPIRED: T = t("expired {0}", "过期 {0}");
pub const OPS: T = t("{0} ops", "{0} 次操作");
pub const IN_FLIGHT: T = t("in flight", "传输中");
pub const HELD: T = t("held at a network cut", "被网络断开阻挡");
pub const GROUP: T = t("side {0} of the partition", "分区的第 {0} 侧");
pub const DROPPED: T = t("dropped", "丢弃");
pub const CHART_MAX: T = t("max", "最大");
pub const CHART_PEAK: T = t("peak", "峰值");
pub const EVENTS: T = t("Events", "事件");
pub const LEDGER: T = t("Checker", "检查器账本");
pub const SENTINELS: T = t("Sentinels", "哨兵");
pub const CHARTS: T = t("Charts", "图表");
pub const CLUSTER: T = t("Cluster", "集群");
pub const ACKED: T = t("acknowledged writes", "已确认的写入");
pub const SURVIVING: T = t("surviving", "保留下来");
pub const LOST: T = t("lost", "丢失");
pub const LOST_WRITE: T = t(
    "{0} acknowledged by {1} at {2} (offset {3}); erased by {4}",
    "{0} 由 {1} 在 {2} 确认（偏移量 {3}）；被 {4} 抹掉",
);
pub const SHOW_IN_DIAGRAM: T = t("show", "定位");
pub const STALE_READS: T = t("stale reads", "读到旧值");
pub const EXPIRED_READS: T = t("reads of expired keys", "读到已过期的键");
pub const SALES: T = t("flash sales", "秒杀");
pub const SALE_LINE: T = t(
    "{0} ({1}): {2} purchases of {3} units, oversold {4}, counter now {5}; failed lock attempts {6}, locks expired mid-work {7}, releases of another buyer's lock {8}, WATCH retries {9}",
    "{0}({1})：库存 {3} 件，成交 {2} 次，超卖 {4} 件，计数器现在是 {5}；抢锁失败 {6} 次，锁在干活时过期 {7} 次，删掉别人的锁 {8} 次，WATCH 重试 {9} 次",
);
pub const FULL_SYNCS: T = t("full syncs", "全量同步");
pub const PARTIAL_SYNCS: T = t("partial syncs", "部分同步");
pub const UNAVAILABLE: T = t("longest write outage", "最长写入不可用");
pub const NO_CLIENTS: T = t(
    "No simulated clients in this run: the ledger counts their writes.",
    "这次运行没有模拟客户端：账本只统计它们的写入。",
);
pub const FINAL_MASTER: T = t("master now", "当前主库");
pub const NO_SENTINELS: T = t("No Sentinels in this run.", "这次运行没有哨兵。");
pub const EPOCH: T = t("epoch", "纪元");
pub const VOTED_FOR: T = t("voted for", "投票给");
pub const QUORUM: T = t("quorum", "法定人数");
pub const TILT: T = t("TILT", "TILT");
pub const CHART_OFFSETS: T = t("Replication offset by node", "各节点复制偏移量");
pub const CHART_WRITES: T = t(
    "Client writes per second (ok / failed)",
    "客户端每秒写入（成功 / 失败）",
);

// --- faults
pub const FAULTS: T = t("Faults", "故障");
pub const FAULT_KIND: T = t("Fault", "故障类型");
pub const TARGET: T = t("Target", "目标");
pub const APPLY: T = t("Apply", "执行");
pub const HEAL: T = t("Heal all", "全部恢复");
pub const F_PAUSE: T = t("Pause 5 s", "暂停 5 秒");
pub const F_PAUSE15: T = t("Pause 15 s", "暂停 15 秒");
pub const F_CRASH: T = t("Crash", "崩溃");
pub const F_RESTART: T = t("Restart", "重启");
pub const F_ISOLATE: T = t("Isolate (partition)", "隔离（网络分区）");
pub const F_CUT_IN: T = t("One-way: drop traffic to it", "单向：丢弃发往它的流量");
pub const F_SKEW: T = t("Clock +10 s", "时钟快 10 秒");
pub const F_JUMP: T = t("Clock jump −30 s", "时钟回跳 30 秒");
pub const F_LATENCY: T = t("Latency 500 ms", "延迟 500 毫秒");
pub const F_CONFIG: T = t(
    "CONFIG SET min-replicas 1/10",
    "CONFIG SET min-replicas 1/10",
);
pub const F_CONSOLE: T = t("Open console here", "在此打开控制台");
pub const NODE_ACTIONS: T = t("Actions on {0}", "对 {0} 的操作");
pub const PARTITIONED: T = t("partitioned", "网络分区");
pub const ONE_WAY: T = t("one-way cut", "单向断开");

// --- first-visit tips
pub const COACH_TITLE: T = t("Three controls matter", "最重要的三个控件");
pub const COACH_PLAY: T = t(
    "Play (Space) runs to the next question and pauses there.",
    "播放（空格键）会运行到下一个问题并在那里暂停。",
);
pub const COACH_STEP: T = t(
    "Step (← →) moves one event; drag the timeline to go back in time.",
    "单步（← →）每次前进一个事件；拖动时间轴可以回到过去。",
);
pub const COACH_FAULTS: T = t(
    "Faults: the toolbar above the map, or right-click a node.",
    "故障：使用拓扑图上方的工具栏，或右键点击节点。",
);
pub const COACH_OK: T = t("Got it", "知道了");

// --- live region
pub const LIVE_PAUSED_AT: T = t("Paused at step end, t={0}", "在步骤结束处暂停，t={0}");

// --- shortcuts
pub const KEYS_HELP: &[(&str, T)] = &[
    ("Space", t("play / pause", "播放 / 暂停")),
    ("← →", t("previous / next event", "上一个 / 下一个事件")),
    (
        "Shift+← →",
        t(
            "previous / next event of the kind chosen next to Speed (default: fault, role change or sync)",
            "上一个 / 下一个所选类型的事件（在“速度”旁选择；默认：故障、角色变化或同步）",
        ),
    ),
    ("/", t("focus the console", "聚焦控制台")),
    ("?", t("this help", "显示本帮助")),
    ("Esc", t("close menus", "关闭菜单")),
];
