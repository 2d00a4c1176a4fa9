import { z } from 'zod';
import { CursorSchema, IdSchema, LimitSchema, TimestampSchema, inputString, typeMessage } from './common.js';

export const RoleSchema = z.enum(['user', 'admin'], { message: 'must be user or admin' });
export type Role = z.infer<typeof RoleSchema>;

export const EmailSchema = z
  .string({ error: typeMessage('must be a string') })
  .trim()
  .toLowerCase()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ message: 'must be a valid email address' }));

const ASCII = /^\p{ASCII}*$/u;

/**
 * 8–72 UTF-8 bytes: bcrypt ignores everything past byte 72, so longer passwords are refused.
 * The limits are told in characters when the password is ASCII (one byte each), in bytes otherwise.
 */
export const PasswordSchema = z.string({ error: typeMessage('must be a string') }).superRefine((password, ctx) => {
  const bytes = new TextEncoder().encode(password).length;
  const unit = ASCII.test(password) ? 'characters' : 'bytes (UTF-8)';
  if (bytes < 8) ctx.addIssue({ code: 'custom', message: `must be at least 8 ${unit}` });
  if (bytes > 72) ctx.addIssue({ code: 'custom', message: `must be at most 72 ${unit}` });
});

export const UserNameSchema = inputString()
  .trim()
  .min(1, 'must not be empty')
  .max(100, 'must be at most 100 characters');

export const UserSchema = z.object({
  id: IdSchema,
  email: z.string(),
  name: z.string().nullable(),
  role: RoleSchema,
  /** A disabled user cannot sign in, and the access tokens it holds are refused. */
  disabled: z.boolean(),
  created_at: TimestampSchema,
});
export type User = z.infer<typeof UserSchema>;

export const RegisterInputSchema = z.strictObject({
  email: EmailSchema,
  password: PasswordSchema,
  name: UserNameSchema.optional(),
});
export type RegisterInput = z.input<typeof RegisterInputSchema>;

/** Registration by an operator (CLI, embedder): like register, with a role. */
export const CreateUserInputSchema = RegisterInputSchema.extend({
  role: RoleSchema.default('user'),
});
export type CreateUserInput = z.input<typeof CreateUserInputSchema>;

export const LoginInputSchema = z.strictObject({
  email: inputString().trim().toLowerCase().min(1, 'is required'),
  password: inputString().min(1, 'is required'),
});
export type LoginInput = z.input<typeof LoginInputSchema>;

export const RefreshInputSchema = z.strictObject({
  refresh_token: inputString().min(1, 'is required'),
});
export type RefreshInput = z.input<typeof RefreshInputSchema>;

export const TokenResponseSchema = z.object({
  access_token: z.string(),
  refresh_token: z.string(),
  token_type: z.literal('bearer'),
  /** Lifetime of the access token in seconds. */
  expires_in: z.number().int(),
});
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

/** `POST /auth/token` form body (OAuth2 password and refresh_token grants). */
export const TokenRequestSchema = z.discriminatedUnion('grant_type', [
  z.object({
    grant_type: z.literal('password'),
    username: inputString().min(1),
    password: inputString().min(1),
    scope: inputString().optional(),
  }),
  z.object({
    grant_type: z.literal('refresh_token'),
    refresh_token: inputString().min(1),
    scope: inputString().optional(),
  }),
]);
export type TokenRequest = z.infer<typeof TokenRequestSchema>;

export const UserSortBySchema = z.enum(['created_at', 'email'], { message: 'must be one of created_at, email' });

export const UserListQuerySchema = z.strictObject({
  sort_by: UserSortBySchema.default('created_at'),
  sort_order: z.enum(['asc', 'desc'], { message: 'must be asc or desc' }).default('desc'),
  limit: LimitSchema,
  /** Only users with this role. */
  role: RoleSchema.optional(),
  /** Case-insensitive substring of the email; `%` and `_` are literal. */
  search: inputString().trim().toLowerCase().min(1, 'must not be empty').max(254).optional(),
  cursor: CursorSchema,
});
export type UserListQuery = z.input<typeof UserListQuerySchema>;

/** `PATCH /users/{id}`: what an admin may change on an account. */
export const UserPatchSchema = z.strictObject({
  role: RoleSchema.optional(),
  disabled: z.boolean({ message: 'must be true or false' }).optional(),
});
export type UserPatch = z.input<typeof UserPatchSchema>;

/** `POST /auth/password`: the signed-in user changes their own password. */
export const ChangePasswordInputSchema = z.strictObject({
  current_password: inputString().min(1, 'is required'),
  new_password: PasswordSchema,
});
export type ChangePasswordInput = z.input<typeof ChangePasswordInputSchema>;
