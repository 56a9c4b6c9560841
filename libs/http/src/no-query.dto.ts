/** Routes without query parameters still reject unknown ones (forbidNonWhitelisted needs a class). */
export class NoQuery {}
