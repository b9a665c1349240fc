import Ajv from 'ajv-draft-04';
import { readFileSync } from 'node:fs';

const schema = JSON.parse(readFileSync(new URL('./fixtures/adf-full-schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

/** Validates an ADF document against Atlassian's schema; returns the errors as text, or undefined. */
export function adfErrors(doc: unknown): string | undefined {
  if (validate(doc)) return undefined;
  return ajv.errorsText(validate.errors, { separator: '\n' }).slice(0, 2000);
}
