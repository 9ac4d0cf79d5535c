/** Risk-assessment rounds (评估) and quarterly record updates (更新). */
export const recordsTexts = {
  assessmentRoundStart: (round: string, names: string[], total: number) =>
    [
      `【风险评估】${round}风险评估开始了，本村有${total}名孩子需要评估：`,
      `${names.join('、')}${names.length < total ? `等共${total}名` : ''}`,
      `请逐一回复：评估 <孩子> 低/中/高 [说明]，例如：评估 ${names[0]} 低 学习生活正常`,
      '本月底仍未评估的名单将报送乡镇。',
    ].join('\n'),
  assessmentRoundReminder: (round: string, names: string[], total: number) =>
    [
      `【风险评估提醒】${round}风险评估还有${total}名孩子未完成：`,
      `${names.join('、')}${names.length < total ? `等共${total}名` : ''}`,
      `请回复：评估 <孩子> 低/中/高 [说明]，例如：评估 ${names[0]} 中 情绪低落需关注`,
    ].join('\n'),
  assessmentRoundOverdue: (round: string, villages: Array<{ village: string; directors: string[]; names: string[]; total: number }>, total: number) =>
    [
      `【风险评估未完成】${round}风险评估本月结束，本镇还有${total}名孩子未评估：`,
      ...villages.map(
        (v) => `· ${v.village}${v.directors.length ? `（${v.directors.join('、')}）` : ''}：${v.names.join('、')}${v.names.length < v.total ? `等共${v.total}名` : ''}`,
      ),
      '请督促儿童主任尽快完成评估。',
    ].join('\n'),
  assessmentUsage: '请这样记录：评估 <孩子> 低/中/高 [说明]，例如：评估 张小明 低 学习生活正常',
  assessmentRecorded: (child: string, round: string, level: string, remaining: number) =>
    `已记录：${child}${round}风险评估为“${level}”。${remaining > 0 ? `本轮还有${remaining}名孩子待评估。` : '本村本轮评估已全部完成，谢谢！'}`,
  assessmentHighFiled: (number: string) => `已按高风险自动通报，编号 ${number}，请及时核实（回复“案件 ${number}”查看）。`,
  assessmentHighDescription: (child: string, round: string, note: string | null) =>
    `${round}风险评估：${child}为高风险${note ? `。${note}` : ''}（儿童主任评估后自动通报）`,
  sameNameChildren: (name: string, births: string[]) =>
    [
      `本村有${births.length}个名为“${name}”的孩子：`,
      ...births.map((birth, i) => `${i + 1}. 出生于${birth}`),
      '聊天中暂时无法区分同名的孩子，请通过管理平台办理。',
    ].join('\n'),
  // Quarterly record updates (每季度更新一次) and 更新.
  recordUpdateStart: (quarter: string, lines: string[], total: number) =>
    [
      `【档案季度更新】${quarter}请核对本村${total}名孩子的档案：`,
      ...lines,
      ...(lines.length < total ? [`……等共${total}名`] : []),
      '没有变化请回复：更新 <孩子> 无变化',
      '有变化请回复：更新 <孩子> <字段> <新值>，字段可以是：学校、年级、健康、家庭、监护',
      '例如：更新 张小明 年级 四年级',
    ].join('\n'),
  recordUpdateLine: (index: number, child: string, school: string | null, grade: string | null) =>
    `${index}. ${child}${school || grade ? `（${[school, grade].filter(Boolean).join(' ')}）` : ''}`,
  recordUpdateUsage: '请这样更新档案：更新 <孩子> 无变化，或 更新 <孩子> <字段> <新值>（字段：学校、年级、健康、家庭、监护），例如：更新 张小明 年级 四年级',
  recordConfirmed: (child: string, quarter: string, remaining: number) =>
    `已确认${child}的档案（${quarter}）：无变化。${remaining > 0 ? `本季度还有${remaining}名孩子待确认。` : '本村本季度档案已全部确认，谢谢！'}`,
  recordChanged: (child: string, field: string, before: string | null, after: string, remaining: number) =>
    `已更新${child}的档案：${field}${before ? `由“${before}”` : ''}改为“${after}”。${remaining > 0 ? `本季度还有${remaining}名孩子待确认。` : '本村本季度档案已全部确认，谢谢！'}`,
  recordStaleNotice: (quarter: string, count: number) =>
    `【档案待更新】${quarter}本村有${count}名孩子的档案没有确认，已标记为待更新。请回复：更新 <孩子> 无变化，或 更新 <孩子> <字段> <新值>。`,
} as const;
