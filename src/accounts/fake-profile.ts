import { Faker, base, en, en_US } from "@faker-js/faker";
import type { ProfileFields } from "./profile-rules";

/** A private Faker instance (US English); give a seed for repeatable output in tests and seeding. */
export function createFaker(seed?: number): Faker {
  const faker = new Faker({ locale: [en_US, en, base] });
  if (seed !== undefined) faker.seed(seed);
  return faker;
}

// Occupations paired with what people in them usually studied, so a profile reads as one person.
const OCCUPATIONS: Array<{ title: string; subject: string; degree: "Science" | "Arts" }> = [
  { title: "Software Engineer", subject: "Computer Science", degree: "Science" },
  { title: "Data Analyst", subject: "Statistics", degree: "Science" },
  { title: "Registered Nurse", subject: "Nursing", degree: "Science" },
  { title: "Civil Engineer", subject: "Civil Engineering", degree: "Science" },
  { title: "Accountant", subject: "Accounting", degree: "Science" },
  { title: "High School Teacher", subject: "Education", degree: "Arts" },
  { title: "Graphic Designer", subject: "Graphic Design", degree: "Arts" },
  { title: "Marketing Manager", subject: "Marketing", degree: "Arts" },
  { title: "Pharmacist", subject: "Pharmacy", degree: "Science" },
  { title: "Architect", subject: "Architecture", degree: "Arts" },
  { title: "Journalist", subject: "Journalism", degree: "Arts" },
  { title: "Mechanical Engineer", subject: "Mechanical Engineering", degree: "Science" },
  { title: "Financial Advisor", subject: "Finance", degree: "Science" },
  { title: "Physical Therapist", subject: "Kinesiology", degree: "Science" },
  { title: "Librarian", subject: "Library Science", degree: "Arts" },
  { title: "Social Worker", subject: "Social Work", degree: "Arts" },
  { title: "Lab Technician", subject: "Biology", degree: "Science" },
  { title: "Project Manager", subject: "Business Administration", degree: "Science" },
  { title: "Electrician", subject: "Electrical Technology", degree: "Science" },
  { title: "Chef", subject: "Culinary Arts", degree: "Arts" },
  { title: "Veterinarian", subject: "Veterinary Medicine", degree: "Science" },
  { title: "Translator", subject: "Modern Languages", degree: "Arts" },
  { title: "UX Researcher", subject: "Psychology", degree: "Arts" },
  { title: "Sales Representative", subject: "Communications", degree: "Arts" },
];

const HOBBIES = [
  "Hiking", "Photography", "Gardening", "Cooking", "Baking", "Chess", "Cycling", "Running", "Swimming",
  "Painting", "Playing guitar", "Playing piano", "Bird watching", "Rock climbing", "Knitting", "Woodworking",
  "Reading science fiction", "Board games", "Yoga", "Fishing", "Camping", "Pottery", "Salsa dancing",
  "Volunteering at the animal shelter", "Amateur astronomy", "Home brewing", "Sailing", "Calligraphy", "Tennis",
];

function qualificationFor(faker: Faker, age: number, subject: string, degree: "Science" | "Arts"): string {
  if (age < 21) return faker.helpers.arrayElement(["High school diploma", `Some college coursework in ${subject}`]);
  const levels = [
    { weight: 15, value: "associate" },
    { weight: 50, value: "bachelor" },
    { weight: 25, value: "master" },
    ...(age >= 27 ? [{ weight: 10, value: "doctorate" }] : []),
  ];
  const level = faker.helpers.weightedArrayElement(levels);
  switch (level) {
    case "associate":
      return `Associate degree in ${subject}`;
    case "bachelor":
      return `Bachelor of ${degree} in ${subject}`;
    case "master":
      return `Master of ${degree} in ${subject}`;
    default:
      return `PhD in ${subject}`;
  }
}

/** Whole years between a birth date and `now`. */
function ageAt(birth: Date, now: Date): number {
  let age = now.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    now.getUTCMonth() < birth.getUTCMonth() || (now.getUTCMonth() === birth.getUTCMonth() && now.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}

export type FakePerson = { [K in keyof ProfileFields]-?: NonNullable<ProfileFields[K]> } & { firstName: string; lastName: string };

/**
 * Realistic, coherent fake profile details for one person: the age decides what they could
 * have studied and whether they still work, the phone number matches the US address.
 */
export function fakeProfile(faker: Faker, now: Date): FakePerson {
  const sex = faker.person.sexType();
  const firstName = faker.person.firstName(sex);
  const lastName = faker.person.lastName();
  const born = faker.date.birthdate({ mode: "age", min: 18, max: 80, refDate: now });
  // A birth date is a calendar date: keep it at midnight UTC.
  const dateOfBirth = new Date(Date.UTC(born.getUTCFullYear(), born.getUTCMonth(), born.getUTCDate()));
  const age = ageAt(dateOfBirth, now);

  const job = faker.helpers.arrayElement(OCCUPATIONS);
  const occupation = age >= 67 ? `Retired ${job.title}` : age < 23 && faker.datatype.boolean() ? `${job.subject} student` : job.title;

  const state = faker.location.state({ abbreviated: true });
  const address = `${faker.location.streetAddress()}, ${faker.location.city()}, ${state} ${faker.location.zipCode({ state })}, United States`;

  return {
    firstName,
    lastName,
    name: `${firstName} ${lastName}`,
    contact: faker.phone.number({ style: "national" }),
    address,
    occupation,
    hobby: faker.helpers.arrayElement(HOBBIES),
    highestQualification: qualificationFor(faker, age, job.subject, job.degree),
    dateOfBirth,
  };
}
