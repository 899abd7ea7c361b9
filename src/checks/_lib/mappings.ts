// Framework mapping sets shared by several built-in checks (DESIGN.md: mappings are the check's
// default; evident.yaml may override them). A set lives here only when two or more checks judge the
// same concern; a check with its own mapping keeps it inline in its check.ts.
import type { FrameworkMappings } from '../../core/framework-id.js';

/** Data at rest is encrypted (EBS, EC2 block devices, RDS, S3): cryptography, encryption safeguard. */
export const ENCRYPTION_AT_REST_MAPPINGS: FrameworkMappings = {
  soc2: ['CC6.1', 'C1.1'],
  'iso27001-2022': ['A.8.24'],
  hipaa: ['164.312(a)(2)(iv)'],
  gdpr: ['Art.32(1)(a)'],
};

/**
 * S3 buckets are not public (the four public access block flags, public ACLs, public bucket
 * policies): access control, boundary protection, data classification and confidentiality.
 */
export const S3_PUBLIC_ACCESS_MAPPINGS: FrameworkMappings = {
  soc2: ['CC6.1', 'CC6.6', 'C1.1'],
  'iso27001-2022': ['A.5.15', 'A.8.3', 'A.8.12'],
  hipaa: ['164.312(a)(1)'],
  gdpr: ['Art.25(2)', 'Art.32(1)(b)'],
};

/** Azure blob containers and GCS buckets are not public: access control and confidentiality. */
export const PUBLIC_STORAGE_MAPPINGS: FrameworkMappings = {
  soc2: ['CC6.1', 'C1.1'],
  'iso27001-2022': ['A.5.15', 'A.8.3', 'A.8.12'],
  hipaa: ['164.312(a)(1)'],
  gdpr: ['Art.25(2)', 'Art.32(1)(b)'],
};

/** SSH/RDP are not open to the internet (AWS security groups, Azure NSGs, GCP firewalls): network security. */
export const ADMIN_PORTS_MAPPINGS: FrameworkMappings = {
  soc2: ['CC6.1', 'CC6.6'],
  'iso27001-2022': ['A.8.20', 'A.8.21', 'A.8.22'],
  hipaa: ['164.312(a)(1)', '164.312(e)(1)'],
  gdpr: ['Art.32(1)(b)'],
};

/** IAM policies grant least privilege (no admin policy, no wildcard actions). */
export const IAM_LEAST_PRIVILEGE_MAPPINGS: FrameworkMappings = {
  soc2: ['CC6.1', 'CC6.3'],
  'iso27001-2022': ['A.5.15', 'A.5.18', 'A.8.2'],
  hipaa: ['164.308(a)(4)(ii)(B)', '164.312(a)(1)'],
  gdpr: ['Art.25(2)', 'Art.32(1)(b)'],
};

/**
 * Kubernetes containers are hardened (not privileged, no privilege escalation, non-root user):
 * least privilege and protection against malicious code.
 */
export const CONTAINER_HARDENING_MAPPINGS: FrameworkMappings = {
  soc2: ['CC6.1', 'CC6.8'],
  'iso27001-2022': ['A.8.2', 'A.8.9'],
  hipaa: ['164.312(a)(1)'],
  gdpr: ['Art.32(1)(b)'],
};

/** Kubernetes containers set resource limits (CPU, memory): availability and capacity management. */
export const RESOURCE_LIMITS_MAPPINGS: FrameworkMappings = {
  soc2: ['A1.1'],
  'iso27001-2022': ['A.8.6'],
  gdpr: ['Art.32(1)(b)'],
};

/**
 * Secrets are not kept in code or git history (and leaked ones are rotated): logical access and
 * credential protection, information leakage, authentication information, security incident
 * procedures.
 */
export const SECRETS_MAPPINGS: FrameworkMappings = {
  soc2: ['CC6.1', 'CC7.1'],
  'iso27001-2022': ['A.5.17', 'A.8.12'],
  hipaa: ['164.308(a)(1)(ii)(B)', '164.312(d)'],
  gdpr: ['Art.32(1)(b)'],
};

/** Known vulnerabilities in dependencies are patched on a schedule: vulnerability management, risk management. */
export const VULNERABILITY_MAPPINGS: FrameworkMappings = {
  soc2: ['CC7.1'],
  'iso27001-2022': ['A.8.8'],
  hipaa: ['164.308(a)(1)(ii)(B)'],
  gdpr: ['Art.32(1)(d)'],
};
