/** Entrusted guardianship (委托监护责任确认书): 委托 by directors and parents, and its two jobs. */
import type { TermsProblem } from '../../domain/guardianshipAgreement';

export const guardianshipTexts = {
  entrustDirectorUsage:
    '请这样确认委托监护：委托 <孩子> <监护人> [关系] [年龄] [健康] [愿意/不愿意] [正常/不足/失当/缺失] [至日期]，例如：委托 张小明 张奶奶 祖母 68岁 健康良好 愿意 正常 至2027-08-31\n不写的项默认：愿意、正常、有效期一年。',
  entrustParentUsage: '请这样申请委托监护：委托 <监护人> [关系]，例如：委托 张奶奶 祖母；有几个孩子时写上孩子：委托 张小明 张奶奶 祖母',
  entrustPrivateOnly: '委托监护的评估请在私聊中发给我，不要发在群里。',
  entrustTermsProblem: (problem: TermsProblem) => {
    switch (problem.code) {
      case 'bad_age':
        return `没有看懂年龄“${problem.token}”，请写成“68岁”。`;
      case 'minor_guardian':
        return `监护人只有${problem.age}岁。受委托的监护人须年满18周岁，请另选成年人。`;
      case 'bad_date':
        return `没有看懂有效期“${problem.token}”，请写成“至2027-08-31”。`;
      case 'repeated':
        return `“${problem.token}”与前面的同类项重复了，每项只写一次。`;
    }
  },
  entrustUntilPast: (until: string) => `有效期“至${until}”已经过去了，请写一个今天以后的日期，或不写（默认一年）。`,
  entrustGuardianUnknown: (guardian: string, child: string) =>
    `本村还没有登记监护人“${guardian}”。请先发送：邀请 监护人 ${guardian} ${child}\n对方绑定后，再发送“委托 ${child} ${guardian} …”。`,
  entrustGuardianNotRegistered: (guardian: string, child: string) =>
    `村里还没有登记监护人“${guardian}”。请联系村儿童主任，请他发送“邀请 监护人 ${guardian} ${child}”登记后，您再申请。`,
  entrustGuardianAmbiguous: (guardian: string) => `本村有几位名为“${guardian}”的监护人，聊天中无法区分，请通过管理平台办理。`,
  entrustNoAwayParent: (child: string) => `${child}没有登记外出务工的家长，委托书需由外出务工的家长签署。请先发送：邀请 家长 <姓名> ${child}`,
  entrustApproved: (child: string, guardian: string, relation: string | null, level: string, from: string, until: string) =>
    `已确认委托监护：${child}由${guardian}${relation ? `（${relation}）` : ''}监护，监护能力“${level}”，有效期${from}至${until}。外出务工的家长须每周与孩子联系。`,
  entrustFollowUp: (guardian: string) => `${guardian}的监护能力不足：请定期上门走访，指导监护人照料孩子，并督促家长多与孩子联系。`,
  entrustRefused: (child: string, guardian: string, reason: string) => `委托未通过：${reason}，${guardian}不能作为${child}的受委托监护人。`,
  entrustCapacityReason: (level: string) => `监护能力评估为“${level}”`,
  entrustUnwillingReason: '监护人不愿意接受委托',
  entrustFindAnother: (child: string) => `请与${child}的家长商量另选受委托监护人。`,
  guardianshipGapDescription: (child: string, guardian: string, level: string, health: string | null) =>
    `委托监护评估：${guardian}对${child}的监护能力为“${level}”${health ? `（${health}）` : ''}，委托未通过，孩子缺少有效监护（儿童主任评估后自动通报）。`,
  guardianshipGapFiled: (urgent: boolean, number: string) =>
    urgent
      ? `已按“监护缺失”紧急通报，编号 ${number}，乡镇工作人员已同时收到。请立即安排孩子的临时照护。`
      : `已按“监护缺失”通报，编号 ${number}，请及时核实处置（回复“案件 ${number}”查看）。`,
  guardianshipGapAlert: (number: string, child: string, description: string) =>
    `【紧急·监护缺失】${number}\n孩子：${child}\n${description}\n请立即核实并安排临时照护（回复“案件 ${number}”查看）。`,
  entrustRequestApproved: (child: string, guardian: string, until: string) =>
    `您申请的委托监护已确认：${child}由${guardian}监护，有效期至${until}。请每周至少与孩子联系一次。`,
  entrustRequestRefused: (child: string, guardian: string) => `您申请的委托监护（${guardian}监护${child}）经村里评估未通过，儿童主任会与您联系，商量另选监护人。`,
  entrustChooseChild: (names: string[]) =>
    [`您有${names.length}个孩子，请写上孩子的名字：`, ...names.map((name, i) => `${i + 1}. ${name}`), `例如：委托 ${names[0]} <监护人> [关系]`].join('\n'),
  entrustParentNotAway: '委托监护由外出务工的家长申请。如果您已外出务工，请联系村儿童主任更新登记。',
  entrustAlreadyValid: (child: string, guardian: string, until: string | null) => `${child}委托${guardian}监护的确认书已经有效${until ? `（至${until}）` : ''}，不用再申请。`,
  entrustAlreadyRequested: (child: string, guardian: string) => `您已申请委托${guardian}监护${child}，正在等待村儿童主任评估确认。`,
  entrustRequested: (child: string, guardian: string) => `已提交：委托${guardian}监护${child}。村儿童主任会评估${guardian}的监护能力，确认后会通知您。`,
  entrustRequestForDirector: (parent: string, child: string, guardian: string, relation: string | null) =>
    `【委托监护申请】家长${parent}申请委托${guardian}${relation ? `（${relation}）` : ''}监护${child}。请上门评估监护能力后回复，例如：委托 ${child} ${guardian} ${relation ?? '祖母'} 68岁 健康良好 愿意 正常`,
  agreementMissing: (names: string[], total: number) =>
    [
      `【委托监护】本村有${total}名孩子父母都在外务工，还没有有效的委托监护确认书：`,
      `${names.join('、')}${names.length < total ? `等共${total}名` : ''}`,
      `请与家长确定受委托监护人，上门评估后回复：委托 <孩子> <监护人> [关系] …，例如：委托 ${names[0]} 张奶奶 祖母 68岁 健康良好 愿意 正常`,
    ].join('\n'),
  agreementExpiring: (child: string, guardian: string, until: string) =>
    `【委托监护到期提醒】${child}委托${guardian}监护的确认书${until}到期。请与家长续签：重新评估后回复“委托 ${child} ${guardian} …”。`,
  agreementEnded: (child: string, guardian: string, until: string) =>
    `【委托监护已到期】${child}委托${guardian}监护的确认书已于${until}到期终止。请尽快与家长续签，或另选受委托监护人。`,
} as const;
