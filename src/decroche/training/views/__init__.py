"""Pages of the training app: `staff` (manager, trainer, auditor), `trainee` (My training,
My team's training), `public` (no login: programme page, certificate verification);
`access` holds the permissions and the fetch-and-authorise helpers."""
