// Public API of @bnpl/decision-records-nest: the NestJS wiring of decision records (filled in by the next commits).
export {};
