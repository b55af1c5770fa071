/**
 * The template language: plain text with `{variable}` or
 * `{variable|argument}` tokens. Other braces stay literal text (so
 * `a { color: red }` in an email's CSS is fine), except braces around what
 * looks like a misspelt variable, which the checks refuse.
 *
 * - `{code}`: the code placeholder (`codeParameter`, or the sender's code)
 * - `{username}`: the user name placeholder (`usernameParameter`)
 * - `{link|Click here}`: the verification link; the argument is its text
 * - `{given_name|there}`: a user attribute; the argument is the fallback
 *   used when the attribute is absent or empty
 */

/** One piece of a compiled template. */
export type Token =
  | { readonly type: 'text'; readonly value: string }
  | { readonly type: 'code' }
  | { readonly type: 'username' }
  | { readonly type: 'link'; readonly text: string | undefined }
  | {
      readonly type: 'attribute';
      readonly name: string;
      readonly fallback: string;
    };

/** A problem found while compiling one template. */
export interface ParseProblem {
  readonly rule: 'unknown-variable' | 'raw-cognito-placeholder';
  readonly detail: string;
}

/** A compiled template. */
export interface CompiledTemplate {
  readonly tokens: readonly Token[];
  readonly problems: readonly ParseProblem[];
}

const VARIABLE = /\{([a-z][a-z0-9_]*(?::[A-Za-z0-9_]+)?)(?:\|([^{}]*))?\}/g;
// Cognito's own placeholders written literally would be filled in by
// Cognito a second time (or turned into a link).
const RAW_COGNITO = /\{####\}|\{##/;
// Braces around a single name that VARIABLE did not take: a misspelt
// variable (`{givenName}`, `{ given_name }`) that would be sent as it is.
// CSS declarations have a space after the colon, so they never match.
const LOOKS_LIKE_VARIABLE = /\{\s*[A-Za-z_][\w:.-]*\s*(?:\|[^{}]*)?\}/;

/**
 * The user attributes a template may name: the standard profile
 * attributes and any `custom:` attribute. Phone numbers, addresses and
 * verification flags are not interpolated.
 */
export const ALLOWED_ATTRIBUTES: ReadonlySet<string> = new Set([
  'name',
  'given_name',
  'family_name',
  'middle_name',
  'nickname',
  'preferred_username',
  'email',
]);

function isAllowedAttribute(name: string): boolean {
  return ALLOWED_ATTRIBUTES.has(name) || /^custom:\w{1,20}$/.test(name);
}

function tokenOf(name: string, argument: string | undefined): Token | string {
  if (name === 'code' || name === 'username') {
    return argument === undefined ? { type: name } : `{${name}} takes no |`;
  }
  if (name === 'link') return { type: 'link', text: argument };
  if (isAllowedAttribute(name)) {
    return { type: 'attribute', name, fallback: argument ?? '' };
  }
  return `{${name}} is not a known variable`;
}

function pushText(tokens: Token[], problems: ParseProblem[], value: string) {
  if (value.length === 0) return;
  if (RAW_COGNITO.test(value)) {
    problems.push({
      rule: 'raw-cognito-placeholder',
      detail: 'write {code} or {link|text}, not Cognito placeholders',
    });
  }
  const lookalike = LOOKS_LIKE_VARIABLE.exec(value);
  if (lookalike) {
    problems.push({
      rule: 'unknown-variable',
      detail: `${lookalike[0]} would be sent as it is: variables are lower-case names without spaces, e.g. {given_name} (in CSS, put a space after the colon)`,
    });
  }
  tokens.push({ type: 'text', value });
}

/**
 * Compiles a template into tokens, collecting problems instead of
 * throwing (the checks report them all at once).
 *
 * @param template - the template text
 */
export function compileTemplate(template: string): CompiledTemplate {
  const tokens: Token[] = [];
  const problems: ParseProblem[] = [];
  let last = 0;
  for (const match of template.matchAll(VARIABLE)) {
    pushText(tokens, problems, template.slice(last, match.index));
    const token = tokenOf(match[1] as string, match[2]);
    if (typeof token === 'string') {
      problems.push({ rule: 'unknown-variable', detail: token });
      tokens.push({ type: 'text', value: match[0] });
    } else {
      tokens.push(token);
    }
    last = match.index + match[0].length;
  }
  pushText(tokens, problems, template.slice(last));
  return { tokens, problems };
}

/**
 * How often a token type occurs in a compiled template.
 *
 * @param template - the compiled template
 * @param type - the token type to count
 */
export function countTokens(
  template: CompiledTemplate,
  type: Token['type'],
): number {
  return template.tokens.filter((token) => token.type === type).length;
}
