import { Errors } from "../common/app-error";
import { codePointName, unsafeCharacterIn } from "../common/text-safety";

/** The free-text and date fields of a profile; undefined leaves a field as it is, null clears it. */
export interface ProfileFields {
  name?: string | null;
  contact?: string | null;
  address?: string | null;
  occupation?: string | null;
  hobby?: string | null;
  highestQualification?: string | null;
  dateOfBirth?: Date | null;
}

export const PROFILE_TEXT_FIELDS = ["name", "contact", "address", "occupation", "hobby", "highestQualification"] as const;
type TextField = (typeof PROFILE_TEXT_FIELDS)[number];

/** Longest accepted value per field, in characters. */
export const PROFILE_MAX_LENGTH: Record<TextField, number> = {
  name: 100,
  contact: 100,
  address: 300,
  occupation: 100,
  hobby: 100,
  highestQualification: 150,
};

const EARLIEST_BIRTH = Date.UTC(1900, 0, 1);

function cleanText(field: TextField, value: string | null): string | null {
  if (value === null) return null;
  const text = value.normalize("NFC").replace(/\r\n?/g, "\n").trim();
  if (text === "") return null;
  // Control, invisible and bidirectional characters have no place in a profile; an address
  // alone may span lines (\n; \r\n and \r were made \n above).
  const unsafe = unsafeCharacterIn(text, { allowNewline: field === "address" });
  if (unsafe !== undefined) {
    throw Errors.badInput(field, `${field} may not contain control or invisible formatting characters (${codePointName(unsafe)})`);
  }
  const max = PROFILE_MAX_LENGTH[field];
  if ([...text].length > max) throw Errors.badInput(field, `${field} must be at most ${max} characters`);
  return text;
}

function cleanDateOfBirth(value: Date | null, now: Date): Date | null {
  if (value === null) return null;
  if (Number.isNaN(value.getTime())) throw Errors.badInput("dateOfBirth", "dateOfBirth is not a valid date");
  if (value.getTime() > now.getTime()) throw Errors.badInput("dateOfBirth", "dateOfBirth cannot be in the future");
  if (value.getTime() < EARLIEST_BIRTH) throw Errors.badInput("dateOfBirth", "dateOfBirth cannot be before 1900");
  return value;
}

/**
 * Validates and normalises the profile fields present in `input` (trimmed, NFC, empty means
 * cleared); fields left out stay out. Throws BAD_USER_INPUT naming the first bad field.
 */
export function cleanProfileFields(input: ProfileFields, now: Date): ProfileFields {
  const cleaned: ProfileFields = {};
  for (const field of PROFILE_TEXT_FIELDS) {
    const value = input[field];
    if (value !== undefined) cleaned[field] = cleanText(field, value);
  }
  if (input.dateOfBirth !== undefined) cleaned.dateOfBirth = cleanDateOfBirth(input.dateOfBirth, now);
  return cleaned;
}
