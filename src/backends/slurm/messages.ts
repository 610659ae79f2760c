// English and Chinese text of the Slurm backend: why a job is pending and what the user can change, the states a
// job ends in, sbatch's refusals, and the time-limit warning. Every text names the Slurm word it explains, so a
// user can search for it or quote it to the cluster's admins.
import { messageCatalogue } from '../../core/fillTemplate';

const en = {
  // Pending reasons (Slurm's Reason field): what it means, then `.fix`: what the user can change.
  'pending.None': 'Waiting for the scheduler to look at the job (just submitted).',
  'pending.None.fix': 'Nothing to do: it usually starts or gets a reason within a minute.',
  'pending.Priority': 'Waiting in the queue (Priority): jobs with a higher priority are ahead of this one.',
  'pending.Priority.fix': 'Wait, or ask for fewer GPUs or a shorter --time: smaller jobs can start earlier in gaps (backfill).',
  'pending.Resources': 'Waiting for resources (Resources): no node has {resources} free right now.',
  'pending.Resources.fix': 'Wait for running jobs to end, or ask for fewer GPUs, CPUs or memory, or pick another partition.',
  'pending.ReqNodeNotAvail': 'A node the job needs is not available (ReqNodeNotAvail): it is down, drained or reserved ({detail}).',
  'pending.ReqNodeNotAvail.fix': 'Remove a node list or constraint that names those nodes, pick another partition, or wait for maintenance to end.',
  'pending.PartitionTimeLimit': 'The requested --time is longer than partition {partition} allows (PartitionTimeLimit): the job will never start.',
  'pending.PartitionTimeLimit.fix': 'Cancel it and resubmit with a shorter --time (see the partition\'s limit with sinfo), or pick a partition with a longer limit.',
  'pending.PartitionNodeLimit': 'The job asks for more nodes than partition {partition} allows (PartitionNodeLimit).',
  'pending.PartitionNodeLimit.fix': 'Cancel it and resubmit with fewer nodes, or pick another partition.',
  'pending.PartitionDown': 'Partition {partition} is down (PartitionDown): nothing starts there until an admin brings it back.',
  'pending.PartitionDown.fix': 'Wait, or cancel and resubmit to another partition.',
  'pending.Dependency': 'Waiting for another job it depends on to finish (Dependency).',
  'pending.Dependency.fix': 'Nothing to do; or remove the dependency with scontrol update jobid={id} dependency=.',
  'pending.DependencyNeverSatisfied': 'The job it depends on failed, so this one will never start (DependencyNeverSatisfied).',
  'pending.DependencyNeverSatisfied.fix': 'Cancel it, fix the job it depends on, and submit again.',
  'pending.BeginTime': 'Waiting for its start time (BeginTime): a requeued job waits a while (2 minutes on most clusters) before it may start again.',
  'pending.BeginTime.fix': 'Nothing to do: it starts by itself (starting it sooner makes Slurm kill it with "Job credential revoked").',
  'pending.JobHeldUser': 'Held by you (JobHeldUser): it will not start until it is released.',
  'pending.JobHeldUser.fix': 'Release it with scontrol release {id}.',
  'pending.JobHeldAdmin': 'Held by an administrator (JobHeldAdmin).',
  'pending.JobHeldAdmin.fix': 'Ask the cluster\'s admins why, quoting job {id}.',
  'pending.QOSMaxGRESPerUser': 'Your QoS limits the GPUs one user may hold at once (QOSMaxGRESPerUser), and your running jobs already use them.',
  'pending.QOSMaxGRESPerUser.fix': 'Wait for your other jobs to end, ask for fewer GPUs, or use a QoS with a higher limit (--qos).',
  'pending.AssocGrpGRES': 'Your account\'s GPU quota is used up (AssocGrpGRES): jobs of your group already hold every GPU it may use.',
  'pending.AssocGrpGRES.fix': 'Wait for your group\'s jobs to end, ask for fewer GPUs, or submit with another account (--account).',
  'pending.qos': 'A limit of your QoS holds the job back ({reason}).',
  'pending.qos.fix': 'Wait for your other jobs to end, ask for less (GPUs, CPUs, memory, --time), or use another QoS (--qos).',
  'pending.assoc': 'A limit of your account holds the job back ({reason}).',
  'pending.assoc.fix': 'Wait for your group\'s jobs to end, ask for less, or submit with another account (--account).',
  'pending.Reservation': 'Waiting for its reservation to start (Reservation).',
  'pending.Reservation.fix': 'Nothing to do, or resubmit without --reservation.',
  'pending.BadConstraints': 'No node can ever satisfy the request (BadConstraints): the constraint, GPUs, CPUs or memory do not fit any node.',
  'pending.BadConstraints.fix': 'Cancel it and resubmit with a request that fits a node (see sinfo -o "%P %G %c %m %f").',
  'pending.launch': 'Slurm could not start the job and held it (launch failed requeued held).',
  'pending.launch.fix': 'Look at the job\'s output file, fix what it says, then release it with scontrol release {id}.',
  'pending.Suspended': 'Suspended by Slurm (usually for a job with a higher priority); it continues later.',
  'pending.Suspended.fix': 'Nothing to do.',
  'pending.other': 'Pending; Slurm\'s reason: {reason}.',
  'pending.other.fix': 'See scontrol show job {id}, or ask the cluster\'s admins what {reason} means here.',
  'pending.start': 'Expected start: {start}.',

  // How a job ended (or where it is).
  'state.running': 'Running on {nodes}.',
  'state.completed': 'Completed.',
  'state.failed': 'Failed with exit code {code}.',
  'state.cancelled': 'Cancelled.',
  'state.timeout': 'Stopped by Slurm at its time limit ({limit}).',
  'state.node_fail': 'A node of the job failed (NODE_FAIL).',
  'state.preempted': 'Preempted: Slurm stopped it for a job with a higher priority.',
  'state.requeued': 'Requeued by Slurm; it will start again and resume from its last checkpoint.',
  'state.out_of_memory': 'Killed for using more memory than it asked for (OUT_OF_MEMORY).',
  'state.attempt': 'Attempt {attempt}.',
  'state.forgotten': 'Slurm no longer knows job {id}, and it left no exit code in its run folder.',
  'state.noJobId': 'The run folder {runDir} holds no Slurm job id: the job was never submitted, or its folder was replaced.',
  'check.loginNode': 'This check ran on the login node; the probe job is what sees the compute nodes\' GPUs.',
  'review.cancelled': 'The sbatch script was not submitted.',

  // sbatch and the other Slurm commands.
  'sbatch.partition': 'Partition "{partition}" does not exist; partitions here: {partitions}.',
  'sbatch.account': 'Slurm refused account "{account}" (with partition "{partition}"): {detail}',
  'sbatch.qos': 'Slurm refused QoS "{qos}": {detail}',
  'sbatch.time': 'Slurm refused --time={time}: it is longer than the partition or QoS allows ({detail}).',
  'sbatch.resources': 'No node of partition "{partition}" can ever give {resources} ({detail}).',
  'sbatch.gres': 'Slurm refused the GPU request {resources}: {detail}',
  'sbatch.other': 'sbatch refused the job: {detail}',
  'sbatch.noId': 'sbatch printed no job id: {detail}',
  'slurm.notFound': '{command} was not found: Slurm\'s commands are not on PATH (add a setup line such as "module load slurm").',
  'slurm.failed': '{command} failed (exit {code}): {detail}',
  'script.line': '{what} contains a line break, which would end its #SBATCH line: "{value}".',
  'script.value': '{what} "{value}" is not a valid Slurm value (letters, digits and . _ - : , + = @ / only).',
  'script.backslash': '{what} "{value}" holds a backslash, which Slurm removes from output file names: choose a workDir without one.',

  // The time-limit warning before submission.
  'time.short': 'The time limit {limit} is shorter than the estimated {estimate} ({tokens} tokens × {epochs} epochs at {throughput} tokens/s): Slurm will stop the job before it ends.',
  'time.short.fix': 'Set --time to at least {suggested}, or allow requeue so the job resumes from its last checkpoint after each limit.',
  'time.unknown': 'Whether the time limit {limit} is long enough is unknown: the job\'s duration cannot be estimated ({reason}).',
  'time.unknown.tokens': 'the training set\'s tokens could not be counted',
  'time.unknown.throughput': 'no throughput is known for this backend yet: the probe does not time training, and no earlier job of this model, dataset and batch ran there',
  'time.throughputFrom': '(Throughput from {from}.)',

  // The probe's report (src/backends/slurm/probeSummary.ts).
  'probe.summary': 'Compute node {host}: Python {python}, torch {torch} (CUDA {cuda}), {count} GPU(s): {gpus}; NCCL {nccl}; packages: {packages}.',
  'probe.noGpu': 'none visible to torch',
  'probe.none': 'none',
  'probe.missing': 'Missing on the compute node: {names} (install them in the Python the setup lines activate).',
  'probe.torchError': 'torch did not load: {error}.',
  'probe.shared': 'workDir is the same folder on the login and compute nodes.',
  'probe.notShared': 'workDir is NOT shared between the login node and the compute node: set workDir to a shared file system (home or scratch), or runs cannot be followed.',
  'probe.noReport': 'The probe job {id} printed no report (Slurm state {state}); the end of its output: {output}',
  'probe.noOutput': 'Its output could not be read on the login node: workDir may not be shared with the compute nodes.',
} as const;

export type SlurmMessageKey = keyof typeof en;

const zhCn: Record<SlurmMessageKey, string> = {
  'pending.None': '等待调度器处理该作业（刚刚提交）。',
  'pending.None.fix': '无需操作：通常一分钟内就会开始运行或给出原因。',
  'pending.Priority': '正在排队（`Priority`）：优先级更高的作业排在前面。',
  'pending.Priority.fix': '请等待，或申请更少的 GPU、更短的 --time：较小的作业可以利用空隙更早开始（`backfill`）。',
  'pending.Resources': '等待资源（`Resources`）：目前没有节点能空出 {resources}。',
  'pending.Resources.fix': '等待运行中的作业结束，或申请更少的 GPU、CPU 或内存，或换一个分区。',
  'pending.ReqNodeNotAvail': '作业需要的节点不可用（`ReqNodeNotAvail`）：已宕机、被排空或被预留（{detail}）。',
  'pending.ReqNodeNotAvail.fix': '去掉指定这些节点的节点列表或约束，换一个分区，或等待维护结束。',
  'pending.PartitionTimeLimit': '申请的 --time 超过了分区 {partition} 的上限（`PartitionTimeLimit`）：该作业永远不会开始。',
  'pending.PartitionTimeLimit.fix': '取消后用更短的 --time 重新提交（用 `sinfo` 查看分区上限），或选择上限更长的分区。',
  'pending.PartitionNodeLimit': '作业申请的节点数超过了分区 {partition} 的上限（`PartitionNodeLimit`）。',
  'pending.PartitionNodeLimit.fix': '取消后用更少的节点重新提交，或换一个分区。',
  'pending.PartitionDown': '分区 {partition} 已停用（`PartitionDown`）：管理员恢复之前不会有作业开始。',
  'pending.PartitionDown.fix': '请等待，或取消后提交到其他分区。',
  'pending.Dependency': '等待所依赖的作业结束（`Dependency`）。',
  'pending.Dependency.fix': '无需操作；也可以用 `scontrol update jobid={id} dependency=` 去掉依赖。',
  'pending.DependencyNeverSatisfied': '所依赖的作业失败了，该作业永远不会开始（`DependencyNeverSatisfied`）。',
  'pending.DependencyNeverSatisfied.fix': '取消它，修复所依赖的作业后重新提交。',
  'pending.BeginTime': '等待开始时间（`BeginTime`）：重新排队的作业要等一段时间（多数集群为 2 分钟）才能再次启动。',
  'pending.BeginTime.fix': '无需操作：它会自动开始（提前启动会被 Slurm 以 `Job credential revoked` 终止）。',
  'pending.JobHeldUser': '已被你挂起（`JobHeldUser`）：释放之前不会开始。',
  'pending.JobHeldUser.fix': '用 `scontrol release {id}` 释放它。',
  'pending.JobHeldAdmin': '已被管理员挂起（`JobHeldAdmin`）。',
  'pending.JobHeldAdmin.fix': '请向集群管理员询问原因，并注明作业 {id}。',
  'pending.QOSMaxGRESPerUser': '你的 `QoS` 限制了单个用户同时占用的 GPU 数（`QOSMaxGRESPerUser`），你正在运行的作业已经用满。',
  'pending.QOSMaxGRESPerUser.fix': '等待你的其他作业结束，申请更少的 GPU，或使用上限更高的 `QoS`（--qos）。',
  'pending.AssocGrpGRES': '你所在账户的 GPU 配额已用完（`AssocGrpGRES`）：同组的作业已占满可用的 GPU。',
  'pending.AssocGrpGRES.fix': '等待同组作业结束，申请更少的 GPU，或换一个账户提交（--account）。',
  'pending.qos': '作业受你的 `QoS` 限制而在等待（{reason}）。',
  'pending.qos.fix': '等待你的其他作业结束，申请更少的资源（GPU、CPU、内存、--time），或换一个 `QoS`（--qos）。',
  'pending.assoc': '作业受你所在账户的限制而在等待（{reason}）。',
  'pending.assoc.fix': '等待同组作业结束，申请更少的资源，或换一个账户提交（--account）。',
  'pending.Reservation': '等待预留开始（`Reservation`）。',
  'pending.Reservation.fix': '无需操作，或去掉 --reservation 后重新提交。',
  'pending.BadConstraints': '没有任何节点能满足该申请（`BadConstraints`）：约束、GPU、CPU 或内存与所有节点都不匹配。',
  'pending.BadConstraints.fix': '取消后按节点实际配置重新提交（查看 `sinfo -o "%P %G %c %m %f"`）。',
  'pending.launch': 'Slurm 无法启动该作业并将其挂起（`launch failed requeued held`）。',
  'pending.launch.fix': '查看作业的输出文件并按提示修复，然后用 `scontrol release {id}` 释放它。',
  'pending.Suspended': '已被 Slurm 暂停（通常是为了优先级更高的作业），之后会继续运行。',
  'pending.Suspended.fix': '无需操作。',
  'pending.other': '排队中；Slurm 给出的原因：{reason}。',
  'pending.other.fix': '查看 `scontrol show job {id}`，或向集群管理员询问 {reason} 在这里的含义。',
  'pending.start': '预计开始时间：{start}。',

  'state.running': '正在 {nodes} 上运行。',
  'state.completed': '已完成。',
  'state.failed': '失败，退出码 {code}。',
  'state.cancelled': '已取消。',
  'state.timeout': '达到时间上限（{limit}），已被 Slurm 停止。',
  'state.node_fail': '作业所在的节点发生故障（`NODE_FAIL`）。',
  'state.preempted': '被抢占：Slurm 为优先级更高的作业停止了它。',
  'state.requeued': '已被 Slurm 重新排队；它会再次启动并从最近的检查点继续。',
  'state.out_of_memory': '使用的内存超过申请量，已被终止（`OUT_OF_MEMORY`）。',
  'state.attempt': '第 {attempt} 次运行。',
  'state.forgotten': 'Slurm 已不再记录作业 {id}，且它没有在运行目录中留下退出码。',
  'state.noJobId': '运行目录 {runDir} 中没有 Slurm 作业号：作业从未提交，或其目录已被替换。',
  'check.loginNode': '此检查在登录节点上运行；能看到计算节点 GPU 的是探测作业。',
  'review.cancelled': '未提交 `sbatch` 脚本。',

  'sbatch.partition': '分区“{partition}”不存在；这里的分区有：{partitions}。',
  'sbatch.account': 'Slurm 拒绝了账户“{account}”（分区“{partition}”）：{detail}',
  'sbatch.qos': 'Slurm 拒绝了 `QoS`“{qos}”：{detail}',
  'sbatch.time': 'Slurm 拒绝了 --time={time}：超过了分区或 `QoS` 的上限（{detail}）。',
  'sbatch.resources': '分区“{partition}”中没有任何节点能提供 {resources}（{detail}）。',
  'sbatch.gres': 'Slurm 拒绝了 GPU 申请 {resources}：{detail}',
  'sbatch.other': '`sbatch` 拒绝了该作业：{detail}',
  'sbatch.noId': '`sbatch` 没有输出作业号：{detail}',
  'slurm.notFound': '找不到 {command}：Slurm 命令不在 `PATH` 中（可添加一行 `setup`，例如 `module load slurm`）。',
  'slurm.failed': '{command} 失败（退出码 {code}）：{detail}',
  'script.line': '{what} 含有换行符，会截断其 `#SBATCH` 行：“{value}”。',
  'script.value': '{what}“{value}”不是合法的 Slurm 取值（只能包含字母、数字和 . _ - : , + = @ /）。',
  'script.backslash': '{what}“{value}”含有反斜杠，Slurm 会从输出文件名中删去它：请选择不含反斜杠的 `workDir`。',

  'time.short': '时间上限 {limit} 短于预计的 {estimate}（{tokens} 个 token × {epochs} 轮，按每秒 {throughput} 个 token 计）：Slurm 会在训练结束前停止作业。',
  'time.short.fix': '请把 --time 设为至少 {suggested}，或允许重新排队，让作业每次到达上限后从最近的检查点继续。',
  'time.unknown': '无法判断时间上限 {limit} 是否足够：无法估计作业时长（{reason}）。',
  'time.unknown.tokens': '无法统计训练集的 token 数',
  'time.unknown.throughput': '此后端还没有已知的吞吐量：探测不测训练速度，且此前没有相同模型、数据集和批大小的作业在这里运行过',
  'time.throughputFrom': '（吞吐量来自{from}。）',

  'probe.summary': '计算节点 {host}：Python {python}，`torch` {torch}（CUDA {cuda}），{count} 块 GPU：{gpus}；`NCCL` {nccl}；依赖包：{packages}。',
  'probe.noGpu': '`torch` 看不到任何 GPU',
  'probe.none': '无',
  'probe.missing': '计算节点上缺少：{names}（请安装到 `setup` 行所激活的 Python 中）。',
  'probe.torchError': '`torch` 无法加载：{error}。',
  'probe.shared': '`workDir` 在登录节点和计算节点上是同一个文件夹。',
  'probe.notShared': '`workDir` 在登录节点和计算节点之间并不共享：请把 `workDir` 设在共享文件系统上（`home` 或 `scratch`），否则无法跟踪作业。',
  'probe.noReport': '探测作业 {id} 没有输出报告（Slurm 状态 {state}）；其输出的末尾：{output}',
  'probe.noOutput': '在登录节点上读不到其输出：`workDir` 可能没有与计算节点共享。',
};

const catalogue = messageCatalogue<SlurmMessageKey>({ en, 'zh-cn': zhCn });

/** The text for `key` in `locale`, with `{name}` placeholders filled from `params`. */
export const slurmMessage = catalogue.message;
/** Every key (for the test that both languages have each). */
export const slurmMessageKeys = catalogue.keys;

/** A failure with a catalogue message: `message` is the English text; `text(locale)` gives it in either language. */
export class SlurmError extends Error {
  constructor(
    readonly key: SlurmMessageKey,
    readonly params: Record<string, string | number> = {},
  ) {
    super(slurmMessage('en', key, params));
  }

  text(locale: 'en' | 'zh-cn'): string {
    return slurmMessage(locale, this.key, this.params);
  }
}
