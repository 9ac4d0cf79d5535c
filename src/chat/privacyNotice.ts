/** Raise with every change of the text below: the version each person was shown is recorded. */
export const PRIVACY_NOTICE_VERSION = 1;

/** Given once on binding (PIPL art. 17, 35): what is kept, why, who sees it, how long, how to ask. */
export const PRIVACY_NOTICE = [
  '【个人信息告知】',
  '保存什么：您的姓名、电话、身份，以及与您相关孩子的基本情况、联系和走访记录。',
  '为什么：依法开展农村留守和困境儿童关爱保护工作。',
  '谁能看：本村儿童主任和负责的工作人员，仅限工作需要；不会告诉其他家庭。',
  '保存多久：孩子年满18岁或迁出后再保存一段时间，之后匿名化；聊天文字30天左右清除。',
  '怎么问：发送“我的数据”查看；“更正 内容”或“删除我的信息”提出申请；“暂停提醒”或“退订”停止提醒。',
].join('\n');
