//! Texts of challenges, fair predictions and progress.

use super::{t, T};

pub const CHALLENGE: T = t("Challenge", "挑战");
pub const CHALLENGE_TAKE: T = t("Take the challenge", "接受挑战");
pub const CHALLENGE_FORKS: T = t(
    "The playhead goes back to {0}. Your first change there forks the run: the original stays as branch A, to compare.",
    "播放头回到 {0}。你在那里做的第一个改动会让运行分叉：原来的运行保留为分支 A，供对比。",
);
pub const CHALLENGE_SOLVED: T = t("Solved!", "挑战完成！");
pub const CHALLENGE_NOT_YET: T = t(
    "Not solved yet. Make your change, then play to the end of the run: the goals are judged on your branch.",
    "尚未完成。先做改动，再播放到运行结束：目标按你的分支来判定。",
);
pub const CHALLENGE_LEAVE: T = t("Leave the challenge", "退出挑战");
pub const SHOW_HINT: T = t("Show a hint", "显示提示");
pub const HINT_N: T = t("Hint {0} of {1}:", "提示 {0}/{1}：");
pub const SHOW_SOLUTION: T = t("Show solution", "查看答案");
pub const ALLOWED: T = t("Allowed: {0}", "允许使用：{0}");
pub const LIST_SEP: T = t(", ", "、");
pub const MAX_ACTIONS: T = t("at most {0} action(s)", "最多 {0} 个操作");
pub const MEANS_CONFIG: T = t("CONFIG SET", "CONFIG SET");
pub const MEANS_TOPOLOGY: T = t(
    "topology commands (REPLICAOF, FAILOVER, SENTINEL, CLUSTER)",
    "拓扑命令（REPLICAOF、FAILOVER、SENTINEL、CLUSTER）",
);
pub const MEANS_COMMAND: T = t("console commands", "控制台命令");
pub const MEANS_FAULT: T = t("faults", "故障注入");
pub const BREACH_NOT_ALLOWED: T = t(
    "“{0}”: {1} is not allowed in this challenge",
    "“{0}”：本挑战不允许使用{1}",
);
pub const BREACH_TOO_MANY: T = t(
    "{0} actions: this challenge allows {1}",
    "用了 {0} 个操作：本挑战只允许 {1} 个",
);
pub const WHY_NOT: T = t("Why not “{0}”: {1}", "为什么不是“{0}”：{1}");
pub const OTHER_CHOICES: T = t("Why the other choices are wrong", "其他选项错在哪里");
pub const PROGRESS: T = t(
    "Predictions {0}/{1} right · challenges {2}/{3} solved",
    "预测答对 {0}/{1} · 挑战完成 {2}/{3}",
);
pub const RESET_LESSON: T = t("Reset lesson", "重置课程");
pub const RESET_LESSON_TITLE: T = t(
    "Forget your answers and progress in this lesson and start it again",
    "清除本课的答案和进度，从头开始",
);
pub const GOAL_HIDDEN: T = t("Goal {0}: shown once checked", "目标 {0}：检查时揭晓");
