import type { AllowlistSpec, SecretRuleSpec } from './rule.js';

// Evident's own secret rules (the gitleaks v8 rule shape, RE2 syntax). Token formats follow each
// vendor's published format (prefixes, lengths, alphabets); credential files follow the file
// formats of their tools (netrc(5), PostgreSQL's .pgpass, Apache htpasswd, crypt(3) hashes as in
// shadow(5), PuTTY .ppk, FileZilla site manager XML, npm/pip config, Docker config.json, kubeconfig).
// Order matters: specific rules come first, so they win a span the generic rules also match.
// Patterns avoid large counted repetitions before the secret: re2js' DFA stays small and fast.

/** Values that are references or placeholders, not secrets: `${VAR}`, `$VAR`, `<password>`, `***`, `{{ x }}`, `%s`. */
const PLACEHOLDER_VALUES = [
  String.raw`^\$\{[^}]*\}?$`,
  String.raw`^\$[A-Za-z_][A-Za-z0-9_]*$`,
  String.raw`^<[^>]*>?$`,
  String.raw`^\{\{.*\}?\}?$`,
  String.raw`^%\(?[A-Za-z_]*\)?s$`,
  String.raw`^(?:\*+|x+|X+|\.+|#+|-+|_+)$`,
  String.raw`(?i)^(?:changeme|change_me|password|passwd|secret|token|example|placeholder|redacted|null|none|nil|undefined|true|false|todo|tbd|dummy|test|your[_-]?\w*|my[_-]?\w*)$`,
];

/** AWS documents `AKIAIOSFODNN7EXAMPLE` and `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY` as examples. */
const EXAMPLE_SUFFIX = String.raw`(?i)example(?:key)?$`;

/**
 * Allowlists applied to every built-in rule: placeholders, documented example keys, lock files, vendored
 * code. Test fixture directories are deliberately not among them: a live key committed under `fixtures/`
 * is as leaked as any other; fake test data takes an inline `evident:allow secret reason="..."`.
 */
export const BUILTIN_GLOBAL_ALLOWLISTS: AllowlistSpec[] = [
  { description: 'placeholders and references, not values', regexes: PLACEHOLDER_VALUES },
  { description: 'documented example credentials', regexes: [EXAMPLE_SUFFIX] },
  {
    description: 'dependency lock files and checksums (integrity hashes, not credentials)',
    paths: [
      String.raw`(?:^|/)(?:package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|uv\.lock|Pipfile\.lock|Cargo\.lock|Gemfile\.lock|composer\.lock|go\.sum|deno\.lock|bun\.lock)$`,
    ],
  },
  {
    description: 'vendored dependencies',
    paths: [String.raw`(?:^|/)(?:node_modules|vendor|\.venv|site-packages)/`],
  },
];

/** A generic `name = value` secret: names that hold credentials. */
const SECRET_NAMES = String.raw`(?:password|passwd|pwd|passphrase|secret|secret[_.-]?key|client[_.-]?secret|api[_.-]?key|apikey|api[_.-]?token|access[_.-]?token|auth[_.-]?token|access[_.-]?key|private[_.-]?key|token)`;

/** The built-in rule set, in matching order. */
export const BUILTIN_RULES: SecretRuleSpec[] = [
  {
    id: 'private-key',
    description: 'PEM private key (RSA, EC, DSA, OpenSSH, PKCS#8, PGP)',
    regex: String.raw`-----BEGIN[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----[\s\S]{32,}?-----END[ A-Z0-9_-]{0,40}PRIVATE KEY(?: BLOCK)?-----`,
    keywords: ['private key'],
    severity: 'critical',
    multiline: true,
  },
  {
    id: 'gcp-service-account-key',
    description: 'Google Cloud service-account JSON key (private_key_id)',
    regex: String.raw`"private_key_id"\s*:\s*"([a-f0-9]{40})"`,
    keywords: ['private_key_id'],
    severity: 'critical',
  },
  {
    id: 'aws-access-key-id',
    description: 'AWS access key id (long-term AKIA or temporary ASIA)',
    regex: String.raw`\b((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16})\b`,
    keywords: ['akia', 'asia', 'abia', 'acca', 'a3t'],
    entropy: 3,
    severity: 'critical',
  },
  {
    id: 'aws-secret-access-key',
    description: 'AWS secret access key assigned to an AWS-named setting',
    regex: String.raw`(?i)aws[\w.-]*(?:secret|sk|access)[\w.-]*["']?\s*(?::=|=>|=|:)\s*["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+]|$)`,
    keywords: ['aws'],
    entropy: 4,
    severity: 'critical',
  },
  {
    id: 'github-token',
    description: 'GitHub personal access, OAuth, app user/server or refresh token',
    regex: String.raw`\b((?:ghp|gho|ghu|ghs|ghr)_[0-9A-Za-z]{36})\b`,
    keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'],
    entropy: 3,
    severity: 'critical',
  },
  {
    id: 'github-fine-grained-token',
    description: 'GitHub fine-grained personal access token',
    regex: String.raw`\b(github_pat_[0-9A-Za-z_]{82})\b`,
    keywords: ['github_pat_'],
    severity: 'critical',
  },
  {
    id: 'gitlab-token',
    description: 'GitLab personal, project, deploy, pipeline-trigger or runner token',
    regex: String.raw`\b((?:glpat|gldt|glptt|glrt|gloas)-[0-9A-Za-z_-]{20,64}|GR1348941[0-9A-Za-z_-]{20})(?:[^0-9A-Za-z_-]|$)`,
    keywords: ['glpat-', 'gldt-', 'glptt-', 'glrt-', 'gloas-', 'gr1348941'],
    severity: 'critical',
  },
  {
    id: 'slack-token',
    description: 'Slack bot, user, app or configuration token',
    regex: String.raw`\b(xox[abposr]-[0-9A-Za-z-]{10,250}|xapp-\d-[0-9A-Za-z-]{10,250})\b`,
    keywords: ['xoxb-', 'xoxp-', 'xoxa-', 'xoxo-', 'xoxs-', 'xoxr-', 'xapp-'],
    severity: 'high',
  },
  {
    id: 'slack-webhook-url',
    description: 'Slack incoming-webhook URL',
    regex: String.raw`(https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/]{20,120})`,
    keywords: ['hooks.slack.com'],
    severity: 'high',
  },
  {
    id: 'stripe-key',
    description: 'Stripe secret or restricted API key',
    regex: String.raw`\b((?:sk|rk)_(?:live|test|prod)_[0-9A-Za-z]{20,247})\b`,
    keywords: ['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_', 'sk_prod_', 'rk_prod_'],
    severity: 'critical',
  },
  {
    id: 'twilio-api-key',
    description: 'Twilio API key SID with its secret nearby, or a Twilio auth token',
    regex: String.raw`\b(SK[0-9a-fA-F]{32})\b|(?i:twilio[\w.-]*(?:auth[_.-]?token|secret)["']?\s*(?::=|=>|=|:)\s*["']?([0-9a-f]{32})\b)`,
    keywords: ['twilio', 'sk'],
    entropy: 3,
    severity: 'high',
  },
  {
    id: 'sendgrid-api-key',
    description: 'SendGrid API key',
    regex: String.raw`\b(SG\.[0-9A-Za-z_-]{22}\.[0-9A-Za-z_-]{43})\b`,
    keywords: ['sg.'],
    severity: 'high',
  },
  {
    id: 'npm-access-token',
    description: 'npm access token',
    regex: String.raw`\b(npm_[0-9A-Za-z]{36})\b`,
    keywords: ['npm_'],
    entropy: 3,
    severity: 'critical',
  },
  {
    id: 'pypi-upload-token',
    description: 'PyPI upload (API) token',
    regex: String.raw`\b(pypi-AgEIcHlwaS5vcmc[0-9A-Za-z_-]{50,1000})`,
    keywords: ['pypi-ageichlwas5vcmc'],
    severity: 'critical',
  },
  {
    id: 'google-api-key',
    description: 'Google API key',
    regex: String.raw`\b(AIza[0-9A-Za-z_-]{35})(?:[^0-9A-Za-z_-]|$)`,
    keywords: ['aiza'],
    entropy: 3,
    severity: 'high',
  },
  {
    id: 'azure-storage-connection-string',
    description: 'Azure storage connection string or account key',
    regex: String.raw`(?i)(?:AccountKey|SharedAccessKey)\s*=\s*([A-Za-z0-9+/]{40,100}={0,2})`,
    keywords: ['accountkey', 'sharedaccesskey'],
    entropy: 4,
    severity: 'critical',
  },
  {
    id: 'jwt',
    description: 'JSON Web Token (signed)',
    regex: String.raw`\b(eyJ[0-9A-Za-z_-]{10,}\.eyJ[0-9A-Za-z_-]{10,}\.[0-9A-Za-z_-]{16,})`,
    keywords: ['eyj'],
    severity: 'medium',
  },
  {
    id: 'database-url-password',
    description: 'Database or broker URL with an embedded password',
    regex: String.raw`(?i)\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|oracle|clickhouse|cockroachdb)://[^\s:@/"'<>]+:([^\s@/"'<>]{3,200})@[^\s/"'<>]+`,
    keywords: ['://'],
    severity: 'high',
  },
  {
    id: 'netrc-password',
    description: '.netrc machine password (netrc(5))',
    regex: String.raw`(?i)\bpassword\s+("[^"]+"|\S+)`,
    path: String.raw`(?:^|/)(?:[^/]*[._])?netrc$`,
    keywords: ['password'],
    severity: 'high',
  },
  {
    id: 'pgpass-password',
    description: 'PostgreSQL .pgpass password (host:port:database:user:password)',
    regex: String.raw`(?m)^(?:[^:#\n]|\\:)*:(?:[^:\n]|\\:)*:(?:[^:\n]|\\:)*:(?:[^:\n]|\\:)*:(.+)$`,
    path: String.raw`(?:^|/)(?:[^/]*[._])?pgpass$`,
    severity: 'high',
  },
  {
    id: 'htpasswd-hash',
    description: 'Apache htpasswd password hash (apr1, bcrypt, SHA1, crypt)',
    regex: String.raw`(?m)^[^:\s#]+:(\$apr1\$[./0-9A-Za-z]{1,8}\$[./0-9A-Za-z]{22}|\$2[aby]?\$\d\d\$[./0-9A-Za-z]{53}|\{SHA\}[A-Za-z0-9+/]{27}=|[./0-9A-Za-z]{13})\s*$`,
    path: String.raw`(?:^|/)\.?htpasswd[^/]*$`,
    severity: 'high',
  },
  {
    id: 'shadow-password-hash',
    description: 'crypt(3) password hash in a shadow-style line (name:$id$salt$hash:...)',
    regex: String.raw`(?m)^[a-z_][a-z0-9_.-]*\$?:(\$(?:1|2[aby]?|5|6|y|gy|7|md5|sha1)\$[^:\s]{8,}):`,
    keywords: ['$1$', '$2a$', '$2b$', '$2y$', '$5$', '$6$', '$y$', '$gy$', '$7$', '$md5', '$sha1$'],
    severity: 'high',
  },
  {
    id: 'putty-private-key',
    description: 'PuTTY private key file (.ppk)',
    regex: String.raw`(PuTTY-User-Key-File-\d: [^\r\n]+)[\s\S]*?Private-Lines: \d+`,
    keywords: ['putty-user-key-file-'],
    severity: 'critical',
    multiline: true,
  },
  {
    id: 'filezilla-password',
    description: 'FileZilla saved site password (sitemanager.xml, recentservers.xml)',
    regex: String.raw`(?i)<Pass(?:\s+encoding="base64")?\s*>([^<]{1,500})</Pass>`,
    keywords: ['<pass'],
    severity: 'high',
  },
  {
    id: 'npmrc-auth',
    description: 'npm registry credential in .npmrc (_authToken, _auth, _password)',
    regex: String.raw`(?i)(?:^|[\s:])(?:_authToken|_auth|_password)\s*=\s*["']?([^\s"']{8,})`,
    keywords: ['_authtoken', '_auth', '_password'],
    path: String.raw`(?:^|/)(?:[^/]*[._])?npmrc$`,
    severity: 'critical',
  },
  {
    id: 'pypirc-password',
    description: 'Package index password in .pypirc',
    regex: String.raw`(?im)^\s*password\s*[:=]\s*(\S+)`,
    keywords: ['password'],
    path: String.raw`(?:^|/)(?:[^/]*[._])?pypirc$`,
    severity: 'critical',
  },
  {
    id: 'docker-config-auth',
    description: 'Registry credential in a Docker config.json (auths.<registry>.auth)',
    regex: String.raw`"(?:auth|identitytoken)"\s*:\s*"([A-Za-z0-9+/=._-]{12,})"`,
    keywords: ['"auth"', '"identitytoken"'],
    path: String.raw`(?:^|/)(?:\.docker/)?(?:config\.json|\.dockercfg)$`,
    severity: 'high',
  },
  {
    id: 'kubeconfig-credential',
    description: 'kubeconfig user token, password or client key',
    regex: String.raw`(?m)^\s*(?:-\s+)?(?:token|password|client-key-data)\s*:\s*["']?([A-Za-z0-9+/=._~-]{8,})`,
    keywords: ['token', 'password', 'client-key-data'],
    path: String.raw`(?:^|/)(?:\.kube/config|kubeconfig[^/]*|[^/]*\.kubeconfig|kube-?config\.ya?ml)$`,
    severity: 'critical',
  },
  {
    id: 'kubeconfig-client-key',
    description: 'kubeconfig client private key (client-key-data)',
    regex: String.raw`client-key-data\s*:\s*["']?([A-Za-z0-9+/=]{64,})`,
    keywords: ['client-key-data'],
    severity: 'critical',
  },
  {
    id: 'generic-secret-assignment',
    description: 'High-entropy value assigned to a name like password, secret, token or api_key',
    regex: String.raw`(?i)${SECRET_NAMES}[\w.-]*["']?[ \t]*(?::=|=>|\?=|=|:)[ \t]*(?:["'\x60]([^"'\x60\r\n]{8,200})["'\x60]|([^\s"'\x60,;(){}\[\]<>]{8,200}))`,
    keywords: [
      'password',
      'passwd',
      'pwd',
      'passphrase',
      'secret',
      'api_key',
      'api-key',
      'apikey',
      'api.key',
      'token',
      'access_key',
      'access-key',
      'private_key',
      'private-key',
    ],
    entropy: 3.5,
    severity: 'medium',
    allowlists: [
      {
        description: 'expressions and references, not literals',
        regexes: [
          String.raw`(?i)^(?:var|local|data|module|self|each|process\.env|os\.environ|env|secrets|vars|inputs|params|config|settings)[.\[]`,
          String.raw`[(){}]`,
          String.raw`^[a-z_]+(?:\.[a-z_]+)+$`,
          String.raw`(?i)^arn:`,
          String.raw`^[a-z]+(?:[_.-][a-z]+)*$`,
        ],
      },
    ],
  },
];
