/**
 * Description → task name: `[date]-[system]-[operation]-[short-desc]`.
 *
 * A rule-based reading rather than a slug of the whole sentence, because the standard's own names are
 * *summaries*: "database migration from PostgreSQL 12 to 15" is filed as `postgres-upgrade-v12-to-v15`.
 * Chinese is read through a keyword map (slugify alone drops Chinese and the dot in `v1.28`).
 */
import slugify from 'slugify';

export interface TaskNameParts {
  date: string;
  system: string;
  operation: string;
  desc: string;
  name: string;
}

/** A name that cannot be made or is malformed; `text` holds the message in both languages. */
export class NamingError extends Error {
  override name = 'NamingError';
  constructor(readonly text: { en: string; zh: string }) {
    super(text.en);
  }
}

/**
 * The task-name convention, from the standard (common.yaml `taskName`, or a team's override): a regex whose first
 * three groups are the year, month and day, and a length limit. Passed in, never assumed: naming imports nothing.
 */
export interface TaskNameRule {
  pattern: string;
  maxLength: number;
}

/** Chinese phrases → English words, longest first. Only what operations vocabulary needs. */
const ZH: [string, string][] = [
  ['故障转移', ' failover '], ['主从切换', ' failover '], ['扩容', ' scale-out '], ['缩容', ' scale-in '],
  ['升级', ' upgrade '], ['降级', ' downgrade '], ['迁移', ' migration '], ['切换', ' switchover '],
  ['轮换', ' rotation '], ['更换', ' rotation '], ['续期', ' renewal '], ['部署', ' deploy '], ['发布', ' deploy '],
  ['上线', ' deploy '], ['重启', ' restart '], ['下线', ' decommission '], ['退役', ' decommission '],
  ['打补丁', ' patch '], ['补丁', ' patch '], ['备份', ' backup '], ['恢复', ' restore '], ['回滚', ' rollback '],
  ['数据库', ' database '], ['集群', ' cluster '], ['节点', ' node '], ['证书', ' certificate '], ['域名', ' dns '],
  ['解析', ' dns '], ['缓存', ' cache '], ['消息队列', ' queue '], ['负载均衡', ' load-balancer '], ['网关', ' gateway '],
  ['存储', ' storage '], ['网络', ' network '], ['应用', ' app '], ['服务', ' service '], ['版本', ' version '],
  ['主库', ' primary '], ['从库', ' replica '], ['分片', ' shard '], ['表结构', ' schema '], ['生产环境', ' prod '],
  ['生产', ' prod '], ['阿里云', ' aliyun '], ['腾讯云', ' tencent '], ['华为云', ' huawei '], ['亚马逊', ' aws '],
  ['谷歌云', ' gcp '], ['微软云', ' azure '], ['自建机房', ' on-prem '], ['自建', ' on-prem '], ['从', ' from '], ['到', ' to '], ['至', ' to '], ['为', ' to '], ['和', ' and '],
];

/** Words that name a concrete system. Ordered: a specific system wins over a generic one. */
const SYSTEMS: Record<string, string> = {
  postgresql: 'postgres', postgres: 'postgres', pg: 'postgres', psql: 'postgres',
  mysql: 'mysql', mariadb: 'mariadb', mongodb: 'mongodb', mongo: 'mongodb', redis: 'redis', kafka: 'kafka',
  kubernetes: 'k8s', k8s: 'k8s', eks: 'k8s', gke: 'k8s', aks: 'k8s', kubeadm: 'k8s',
  elasticsearch: 'elasticsearch', opensearch: 'opensearch', rabbitmq: 'rabbitmq', etcd: 'etcd', consul: 'consul',
  vault: 'vault', nginx: 'nginx', haproxy: 'haproxy', envoy: 'envoy', istio: 'istio', cassandra: 'cassandra',
  clickhouse: 'clickhouse', zookeeper: 'zookeeper', memcached: 'memcached', terraform: 'terraform',
  cdn: 'cdn', dns: 'dns', tls: 'tls', ssl: 'tls', certificate: 'tls', certificates: 'tls', cert: 'tls', certs: 'tls',
  vpn: 'vpn', ldap: 'ldap', jenkins: 'jenkins', gitlab: 'gitlab', prometheus: 'prometheus', grafana: 'grafana',
};
const GENERIC_SYSTEMS: Record<string, string> = {
  database: 'db', db: 'db', cache: 'cache', queue: 'queue', storage: 'storage', network: 'network',
  app: 'app', application: 'app', service: 'app', api: 'api', gateway: 'gateway', 'load-balancer': 'lb', lb: 'lb',
};
/** Providers and products that appear as the endpoints of a switch, not as the system. */
const PROVIDERS: Record<string, string> = {
  cloudflare: 'cloudflare', aws: 'aws', cloudfront: 'aws', amazon: 'aws', akamai: 'akamai', fastly: 'fastly',
  gcp: 'gcp', google: 'gcp', azure: 'azure', route53: 'route53', 'route-53': 'route53', letsencrypt: 'letsencrypt',
  digicert: 'digicert', godaddy: 'godaddy', ns1: 'ns1', alicloud: 'aliyun', aliyun: 'aliyun', tencent: 'tencent',
  'on-prem': 'onprem', onprem: 'onprem', bunny: 'bunny', vercel: 'vercel', huawei: 'huawei',
};
const OPERATIONS: Record<string, string> = {
  upgrade: 'upgrade', upgrades: 'upgrade', upgrading: 'upgrade', update: 'upgrade', bump: 'upgrade',
  downgrade: 'downgrade', migration: 'migration', migrate: 'migration', migrating: 'migration',
  switchover: 'switchover', switch: 'switchover', cutover: 'switchover', 'switch-over': 'switchover',
  rotation: 'rotation', rotate: 'rotation', renewal: 'renewal', renew: 'renewal', 'scale-out': 'scale-out',
  'scale-in': 'scale-in', scale: 'scale-out', expand: 'scale-out', expansion: 'scale-out', failover: 'failover',
  deploy: 'deploy', deployment: 'deploy', release: 'deploy', rollout: 'deploy', restart: 'restart',
  decommission: 'decommission', patch: 'patch', patching: 'patch', backup: 'backup', restore: 'restore',
  resize: 'resize', reindex: 'reindex', replace: 'replacement', replacement: 'replacement', move: 'migration',
};
/** Nouns kept between system and operation because they say what part of the system changes. */
const QUALIFIERS = new Set(['cluster', 'node', 'nodes', 'primary', 'replica', 'shard', 'schema', 'index',
  'control-plane', 'broker', 'brokers', 'ingress', 'certificate']);
const STOPWORDS = new Set(['a', 'an', 'the', 'of', 'for', 'on', 'in', 'our', 'my', 'with', 'and', 'version',
  'provider', 'providers', 'service', 'services', 'please', 'new', 'planned', 'change', 'production', 'prod',
  'environment', 'at', 'by', 'via', 'into', 'version', 'major', 'minor', 'from', 'to', 'do', 'we', 'need']);

const VERSION_RE = /^v?\d+(?:\.\d+){0,3}$/;
const DEPLOYISH = new Set(['deploy', 'restart', 'patch', 'rollback', 'decommission']);
const VERSION_WORDS = new Set(['version', 'to', 'from', 'v', 'release']);

function isPlainWord(t: string): boolean {
  return /^[a-z]/.test(t) && !STOPWORDS.has(t) && !OPERATIONS[t] && !SYSTEMS[t] && !GENERIC_SYSTEMS[t] && !QUALIFIERS.has(t) && !PROVIDERS[t] && !COUNT_NOUNS.has(t);
}
/** "3 brokers", "6 个节点": a number followed by one of these is a count, not a version. */
const COUNT_NOUNS = new Set(['brokers', 'broker', 'nodes', 'node', 'replicas', 'replica', 'shards', 'shard', 'instances',
  'instance', 'pods', 'pod', 'partitions', 'servers', 'hosts', 'members', 'workers']);

function isoToday(): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export function checkDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new NamingError({ en: `invalid date "${date}": expected YYYY-MM-DD`, zh: `日期“${date}”无效：应为 YYYY-MM-DD` });
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) {
    throw new NamingError({ en: `invalid date "${date}": no such day`, zh: `日期“${date}”无效：没有这一天` });
  }
  return date;
}

function tokenize(description: string): string[] {
  // Accents go (résumé → resume); Chinese is read through the keyword map below.
  let text = description.normalize('NFKD').replace(/\p{M}+/gu, '').normalize('NFKC');
  for (const [zh, en] of ZH) text = text.split(zh).join(en);
  text = text.toLowerCase().replace(/\bscale[\s-]+(out|in)\b/g, 'scale-$1').replace(/\bswitch[\s-]+over\b/g, 'switchover')
    .replace(/\bcontrol[\s-]+plane\b/g, 'control-plane').replace(/\bload[\s-]+balancer\b/g, 'load-balancer')
    .replace(/\bon[\s-]+prem(?:ise|ises)?\b/g, 'on-prem').replace(/\blet'?s\s*encrypt\b/g, 'letsencrypt')
    .replace(/\broute\s+53\b/g, 'route53');
  // Split on anything that is not a word character, a dot inside a version, or a hyphen inside a word.
  const raw = text.match(/v?\d+(?:\.\d+)+|[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z][a-z0-9-]*)*/g) ?? [];
  return raw;
}

function version(token: string): string {
  return token.startsWith('v') ? token : `v${token}`;
}

function cleanSegment(s: string): string {
  const slug = slugify(s, { lower: true, strict: false, remove: /[^\w\s.-]/g });
  return slug.replace(/[^a-z0-9.-]/g, '').replace(/\.{2,}/g, '.').replace(/^[.-]+|[.-]+$/g, '');
}

/** Read a description into its name parts. */
export function deriveTaskName(description: string, opts: { date?: string; rule: TaskNameRule }): TaskNameParts {
  const date = checkDate(opts.date ?? isoToday());
  const tokens = tokenize(description);
  if (tokens.length === 0) {
    throw new NamingError({
      en: 'the description has no words that can name a task: describe the system and the operation, e.g. "PostgreSQL upgrade from 12 to 15"',
      zh: '描述中没有可用于命名任务的词：请写明系统和操作，例如“PostgreSQL 从 12 升级到 15”',
    });
  }
  const used = new Set<number>();
  const find = (map: Record<string, string>): [number, string] | undefined => {
    for (let i = 0; i < tokens.length; i++) {
      const v = map[tokens[i]!];
      if (v && !used.has(i)) return [i, v];
    }
    return undefined;
  };

  let operation: string | undefined;
  const op = find(OPERATIONS);
  if (op) {
    operation = op[1];
    used.add(op[0]);
  }

  let system: string | undefined;
  const specific = find(SYSTEMS);
  const generic = find(GENERIC_SYSTEMS);
  // What is deployed is named by the description itself ("deploy billing-service v2.3.1 with a database migration"):
  // its own name says more than a generic word such as "database".
  const own = !specific && operation && DEPLOYISH.has(operation)
    ? tokens.findIndex((t, i) => !used.has(i) && isPlainWord(t))
    : -1;
  if (specific) {
    system = specific[1];
    used.add(specific[0]);
    if (generic) used.add(generic[0]); // "database" adds nothing once PostgreSQL is named
  } else if (own >= 0) {
    system = tokens[own]!;
    used.add(own);
  } else if (generic) {
    system = generic[1];
    used.add(generic[0]);
  }

  // "from A to B" — versions or endpoints.
  const fromIdx = tokens.indexOf('from');
  const toIdx = tokens.indexOf('to', fromIdx + 1);
  let desc: string[] = [];
  const isCount = (i: number) => /^\d+$/.test(tokens[i]!) && COUNT_NOUNS.has(tokens[i + 1] ?? '');
  const counts = tokens.map((t, i) => [t, i] as const).filter(([, i]) => isCount(i));
  // A bare number is a version only where a version stands: after a system ("PostgreSQL 12"), after "to"/"from"/
  // "version", or in "12 to 15". "rack 12" is not a version; "v12" and "1.28" always are.
  const versionAt = (t: string, i: number) => VERSION_RE.test(t) && !isCount(i)
    && !(tokens[i + 1] === 'to' && isCount(i + 2)) // "from 3 to 6 brokers": the first number is a count too
    && (/^v|\./.test(t) || Boolean(SYSTEMS[tokens[i - 1] ?? '']) || VERSION_WORDS.has(tokens[i - 1] ?? '')
      || (tokens[i + 1] === 'to' && VERSION_RE.test(tokens[i + 2] ?? '')));
  const versions = tokens.map((t, i) => [t, i] as const).filter(([t, i]) => versionAt(t, i));
  const after = (idx: number, pred: (t: string) => boolean): [string, number] | undefined => {
    for (let i = idx + 1; i < tokens.length && i <= idx + 3; i++) {
      if (pred(tokens[i]!)) return [tokens[i]!, i];
    }
    return undefined;
  };
  if (fromIdx >= 0 && toIdx > fromIdx) {
    const isVersionAt = (t: string) => VERSION_RE.test(t) && versions.some(([v]) => v === t);
    const fromV = after(fromIdx, isVersionAt);
    const toV = after(toIdx, isVersionAt);
    if (fromV && toV && fromV[1] < toIdx) {
      desc = [version(fromV[0]), 'to', version(toV[0])];
      used.add(fromV[1]).add(toV[1]);
      // A migration between two versions of one system is an upgrade (or a downgrade).
      if (operation === 'migration' || !operation) {
        const a = Number.parseFloat(fromV[0].replace(/^v/, ''));
        const b = Number.parseFloat(toV[0].replace(/^v/, ''));
        operation = b < a ? 'downgrade' : 'upgrade';
      }
    } else {
      const word = (t: string) => !STOPWORDS.has(t) && !VERSION_RE.test(t) && !OPERATIONS[t];
      const fromW = after(fromIdx, word);
      const toW = after(toIdx, word);
      if (fromW && toW && fromW[1] < toIdx) {
        const norm = (t: string) => PROVIDERS[t] ?? SYSTEMS[t] ?? t;
        desc = [norm(fromW[0]), 'to', norm(toW[0])];
        for (let i = fromIdx; i < tokens.length; i++) used.add(i); // the rest names the endpoints
      }
    }
  }
  // "A to B" with two versions and no "from": "MySQL 5.7 to 8.0".
  for (let i = 1; desc.length === 0 && i < versions.length; i++) {
    const [a, ai] = versions[i - 1]!;
    const [b, bi] = versions[i]!;
    if (bi === ai + 2 && tokens[ai + 1] === 'to') {
      desc = [version(a), 'to', version(b)];
      used.add(ai).add(bi);
      if (operation === 'migration' || !operation) operation = 'upgrade';
    }
  }
  if (desc.length === 0 && counts.length) {
    // Scale-outs are named by the size they reach: "kafka-scale-out-6-brokers".
    const [n, i] = counts[counts.length - 1]!;
    desc = [n, tokens[i + 1]!.endsWith('s') ? tokens[i + 1]! : `${tokens[i + 1]!}s`];
    used.add(i).add(i + 1);
    counts.forEach(([, j]) => used.add(j));
  }
  if (desc.length === 0) {
    const last = versions[versions.length - 1];
    if (last) {
      desc = [version(last[0])];
      used.add(last[1]);
    }
  }

  const qualifiers: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const singular = t.replace(/s$/, '');
    if (!used.has(i) && QUALIFIERS.has(t) && !(system === 'tls' && t === 'certificate') && !qualifiers.some((q) => q.replace(/s$/, '') === singular)) {
      qualifiers.push(t);
      used.add(i);
    }
  }
  if (!system) {
    const firstWord = tokens.findIndex((t, i) => !used.has(i) && !STOPWORDS.has(t) && !VERSION_RE.test(t) && !OPERATIONS[t]);
    if (firstWord >= 0) {
      system = PROVIDERS[tokens[firstWord]!] ?? tokens[firstWord]!;
      used.add(firstWord);
    }
  }
  if (desc.length === 0) {
    desc = tokens.filter((t, i) => !used.has(i) && !STOPWORDS.has(t) && !OPERATIONS[t] && !SYSTEMS[t]).slice(0, 3);
  }
  if (!system) {
    throw new NamingError({
      en: 'cannot tell which system the description is about: name it, e.g. "Redis failover" or "DNS migration to Route 53"',
      zh: '无法判断描述涉及哪个系统：请写明系统，例如“Redis 主从切换”或“DNS 迁移到 Route 53”',
    });
  }
  operation ??= 'change';
  if (desc.length === 0) desc = ['planned'];

  const segments = [system, ...qualifiers, operation, ...desc].map(cleanSegment).filter(Boolean);
  let name = `${date}-${segments.join('-')}`;
  const max = opts.rule.maxLength;
  while (name.length > max && segments.length > 3) {
    segments.pop();
    name = `${date}-${segments.join('-')}`;
  }
  if (name.length > max) name = name.slice(0, max).replace(/[.-]+$/, '');
  checkTaskName(name, opts.rule);
  return { date, system: cleanSegment(system), operation: cleanSegment(operation), desc: desc.map(cleanSegment).join('-'), name };
}

export interface TaskNameProblem {
  code: 'pattern' | 'length' | 'date';
  message: string;
  zh: string;
}

/** Why a name breaks the convention, or undefined when it does not. */
export function taskNameProblem(name: string, rule: TaskNameRule): TaskNameProblem | undefined {
  if (name.length > rule.maxLength) {
    return { code: 'length', message: `task name is ${name.length} characters; the limit is ${rule.maxLength}`, zh: `任务名长 ${name.length} 个字符；上限为 ${rule.maxLength}` };
  }
  const m = new RegExp(rule.pattern).exec(name);
  if (!m) {
    return {
      code: 'pattern',
      message: `task name "${name}" does not follow [date]-[system]-[operation]-[short-desc] in lower-case ASCII, e.g. 2025-11-10-k8s-cluster-upgrade-v1.28`,
      zh: `任务名“${name}”不符合 [日期]-[系统]-[操作类型]-[简要描述] 规范（小写 ASCII），例如 2025-11-10-k8s-cluster-upgrade-v1.28`,
    };
  }
  try {
    checkDate(`${m[1]}-${m[2]}-${m[3]}`);
  } catch {
    return { code: 'date', message: `task name "${name}" starts with ${m[1]}-${m[2]}-${m[3]}, which is not a calendar date`, zh: `任务名“${name}”以 ${m[1]}-${m[2]}-${m[3]} 开头，这不是有效日期` };
  }
  return undefined;
}

export function checkTaskName(name: string, rule: TaskNameRule): string {
  const problem = taskNameProblem(name, rule);
  if (problem) throw new NamingError({ en: problem.message, zh: problem.zh });
  return name;
}

/** The date a task name starts with. */
export function taskDate(name: string): { year: string; month: string; day: string } {
  const m = /^(\d{4})-(\d{2})-(\d{2})-/.exec(name);
  if (!m) throw new NamingError({ en: `task name "${name}" does not start with a date`, zh: `任务名“${name}”没有以日期开头` });
  return { year: m[1]!, month: m[2]!, day: m[3]! };
}
