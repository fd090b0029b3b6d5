/**
 * Strings that YAML parsers (the `yaml` package at 1.1 or 1.2, Go's yaml.v2 under kubectl) could
 * read as another type when written plain: numbers in every base, floats, booleans, nulls,
 * timestamps, sexagesimals and the merge key. The cluster suite applies them as env values and
 * reads every one back as the same string.
 */
export const LOOKALIKES: readonly string[] = [
  '0o17', '0O17', '+0o17', '-0o7', '012', '08', '0x1F', '0X1f', '0b101', '1_000', '+12', '-0',
  '1e3', '1.0e+3', '.5', '0.', '.inf', '-.Inf', '.NaN', '1:20', '190:20:30',
  'y', 'Y', 'n', 'yes', 'No', 'ON', 'off', 'true', 'False', '~', 'null', 'Null', '',
  '2026-11-25', '2026-11-25T10:00:00Z', '2026-11-25 10:00:00', '<<', '=',
];
