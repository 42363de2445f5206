/**
 * The response examples of seeds 002 (v1) and 003 (v0), copied verbatim. Tests substitute the account
 * numbers the store allocated and compare element by element.
 */
export const V0_INDEX_XML = `<?xml version="1.0" encoding="utf-8"?>
<customerList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="urn:xml:customerList">
  <offset>0</offset>
  <size>50</size>
  <total>3</total>
  <customers>
    <customer>
      <name>API Customer 17</name>
      <accountNumber>460182</accountNumber>
      <referenceNumber>49</referenceNumber>
    </customer>
    <customer>
      <name>API Customer 39</name>
      <accountNumber>460181</accountNumber>
      <referenceNumber>23</referenceNumber>
    </customer>
    <customer>
      <name>API Customer 50</name>
      <accountNumber>460183</accountNumber>
      <referenceNumber>10</referenceNumber>
    </customer>
  </customers>
</customerList>`;

export const V1_INDEX_XML = `<?xml version="1.0" encoding="utf-8"?> <customerList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="urn:xml:customerList"> <offset>0</offset> <size>50</size> <total>3</total> <customers> <customer> <name>API Customer 17</name> <accountNumber>460182</accountNumber> <referenceNumber>49</referenceNumber> </customer> <customer> <name>API Customer 39</name> <accountNumber>460181</accountNumber> <referenceNumber>23</referenceNumber> </customer> <customer> <name>API Customer 50</name> <accountNumber>460183</accountNumber> <referenceNumber>10</referenceNumber> </customer> </customers> </customerList>`;

export const INDEX_JSON = `{"offset":0,"size":50,"total":3,"customers":
[{"name":"API Customer 17","accountNumber":"460182","referenceNumber":"49"},
{"name":"API Customer 39","accountNumber":"460181","referenceNumber":"23"},
{"name":"API Customer 50","accountNumber":"460183","referenceNumber":"10"}]}`;

export const V0_SHOW_XML = `<?xml version="1.0" encoding="utf-8"?>
<customer xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="urn:xml:customer">
  <name>API Customer 17</name>
  <accountNumber>460182</accountNumber>
  <referenceNumber>49</referenceNumber>
</customer>`;

export const V0_SHOW_JSON = `{"name":"API Customer 17","accountNumber":"460182","referenceNumber":"49"}`;

export const V1_SHOW_XML = `<?xml version="1.0" encoding="utf-8"?> <customer xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="urn:xml:customer"> <name>API Customer 17</name> <accountNumber>460182</accountNumber> <referenceNumber>49</referenceNumber> <addressLine1>555 Address</addressLine1> <addressLine2>Suite 555</addressLine2> <city>Austin</city> <state>TX</state> <zip>78703</zip> <country>US</country> <phone>1-555-555-5555</phone> <email>user@example.com</email> </customer>`;

/** The v1 JSON example spells state and country out ("Texas", "USA") where the XML example abbreviates them. */
export const V1_SHOW_JSON = `{ "name":"API Customer 17", "accountNumber":"460182", "referenceNumber":"49", "addressLine1":"555 Address", "addressLine2":"Suite 555", "city":"Austin", "state":"Texas", "zip":"78703", "country":"USA", "phone":"1-555-555-5555", "email":"user@example.com" }`;

export const LOGIN_TOKEN_XML = `<?xml version="1.0" encoding="utf-8"?> <loginToken xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns="urn:xml:loginToken"> <user>dev_cust_limitedadmin_460896_vu</user> <token>EEB0012D8DBC2CAC26E28365D44B537FFF0D79350</token> <dateCreated>6/11/2010 10:53:46 AM</dateCreated> </loginToken>`;
