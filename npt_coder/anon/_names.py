"""Common given names in the UK (England, Wales, Scotland, Northern Ireland; births from the 1940s to the 2020s,
and names common in the country's larger minority communities), written for npt-coder.

A capitalised word that is one of these names is reported as a person by the pattern pass, and a NER entity that
the trained pipeline labelled an organisation or place but that starts with one of these names is reported as a
person. Names that are also common words, flowers, months or places (``Grace``, ``Will``, ``Victoria``) are in
:data:`AMBIGUOUS_NAMES`: they count as names only away from the start of a sentence or when a surname follows.
"""

from __future__ import annotations

__all__ = ["AMBIGUOUS_NAMES", "GIVEN_NAMES"]

#: Lower-case given names that are not also common English words.
GIVEN_NAMES = frozenset(
    """
    Aaliyah Aaron Abbie Abby Abdul Abdullah Abi Abigail Ada Adam Adele Adil Aditi Adrian Adriana Afsana Agnes Ahmad
    Ahmed Aidan Aiden Aimee Aisha Akash Alan Alana Albert Alesha Alex Alexa Alexander Alexandra Alexis Alfie Alfred
    Ali Alice Alicia Alina Alisha Alison Alistair Aliyah Allison Alma Alyssa Amal Amanda Amara Amelia Amelie Amina
    Amir Amira Amirah Amy Ana Anastasia Andrea Andrew Andy Angela Angelina Angus Anil Anita Anjali Ann Anna Annabel
    Annabelle Anne Annette Annie Anthony Antonia Anya Aoife Arabella Archie Aria Ariana Arianna Arif Arjun Arthur
    Ashley Asif Ava Ava-Rose Ayaan Ayden Ayesha Aziz Barbara Barry Baz Beatrice Becca Becky Belinda Bella Ben
    Benjamin Bernadette Bernard Beth Bethan Bethany Betty Bev Bex Bilal Billie Billy Blake Bobby Bonnie Bradley
    Brandon Brenda Brendan Brian Bridget Brittany Brodie Brody Bronwen Brooke Bruce Bryan Bushra Caitlin Caitlyn
    Callan Callie Callum Calum Calvin Cameron Camilla Caoimhe Cara Carl Carla Carly Carmen Caroline Carolyn Carys
    Casey Casper Cassie Catherine Cathy Cerys Chantelle Charlene Charles Charley Charlie Charlotte Chaz Cherie
    Cheryl Chidi Chioma Chloe Chris Christina Christine Christopher Cian Ciara Ciaran Claire Clara Claudia Clive
    Cody Cole Colette Colin Connor Conor Corey Courtney Craig Dafydd Dai Dale Damian Damien Dan Daniel Danielle
    Danny Darcey Darcie Darcy Darren Darryl Dave David Dawid Daz Debbie Deborah Debra Declan Deepak Demi Denise
    Dennis Denzel Derek Dervla Dexter Diana Diane Dimitri Dionne Dolly Dominic Donald Donna Dorothy Douglas Duncan
    Dylan Eamon Ed Eddie Eden Edith Edward Efe Eileen Elaine Eleanor Elena Elijah Elin Elise Eliza Elizabeth Ella
    Ellen Ellie Elliot Elliott Ellis Eloise Elsie Emeka Emilia Emily Emma Emyr Eoin Eric Erin Eshaan Esme Esther
    Ethan Eva Evan Eve Evelyn Evie Ezra Faisal Farah Farhan Fatima Fay Faye Felicity Felix Finlay Finley Finn Fiona
    Fionnuala Fiyin Frances Francesca Francis Frankie Fraser Freddie Frederick Freya Gabriella Gail Gareth Garry
    Gary Gavin Gaz Gemma Geoffrey George Georgia Georgie Georgina Gerald Gethin Gillian Gina Gladys Gloria Gordon
    Gracie Graham Grainne Gregory Gurpreet Gwen Gwyneth Habib Hafsa Hailey Haleema Hamza Hana Hannah Harper Harpreet
    Harriet Harrison Harry Harun Harvey Hassan Hayley Helen Helena Henry Hira Hollie Hugo Hussain Huw Ian Ibrahim
    Idris Ieuan Ifan Imogen Imran Ines Iqra Irene Isaac Isabel Isabella Isabelle Isla Ismael Ismail Isobel Ivan
    Jackie Jackson Jacky Jacob Jacqueline Jaden Jake Jakub Jamal James Jamie Jan Jane Janet Janice Jasmine Jason
    Jaspreet Jay Jayden Jayden-Lee Jayne Jean Jeanette Jeffrey Jen Jenna Jennifer Jenny Jeremy Jerome Jess Jessica
    Jill Jim Jimmy Jo Joan Joanna Joanne Jodie Joe Joel Joey John Johnny Jon Jonathan Joseph Josephine Josh Joshua
    Josie Joyce Jude Judith Judy Julia Julian Julie Justin Justine Kacey Kacie Kacper Kaden Kai Kamal Kane Kara
    Kareem Karen Karl Kasia Katarzyna Kate Kath Katherine Kathleen Kathryn Katie Katy Kayden Kaydon Kayla Kayleigh
    Kaz Keeley Keeley-Ann Keith Kelly Kelsey Kenneth Kenzie Kerry Kerry-Ann Kev Kevin Kez Kian Kieran Kim Kimberley
    Kiran Kirk Kirsty Kofi Kristian Kwame Kyle Kylie Lacey Lacie Lamar Lance Lara Laura Lauren Layla Layla-Rose Leah
    Leanne Lee Leigh Leighton Leila Lena Lennon Lenny Leo Leon Leonard Lesley Lewis Lexi Lexie Leyla Liam Libby
    Lilly Linda Lindsay Lindsey Lisa Liz Logan Lola Lorraine Louie Louis Louise Lowri Luca Lucas Lucia Lucy Luke
    Luna Lydia Lyla Lynn Lynne Macie Mackenzie Madison Maggie Mahmood Mahmoud Maisie Maisy Malachy Malcolm Malik
    Mandy Manjit Marcus Marek Margaret Maria Mariam Marie Mario Marion Marjorie Marley Marta Martha Martin Mary
    Maryam Matilda Matt Matthew Maureen Meg Megan Mehmet Melanie Melissa Mia Michael Michaela Michelle Mick Mike
    Mikey Mila Millie Mohammad Mohammed Mollie Molly Monica Morgan Muhammad Mustafa Nadeem Nadia Nancy Naomi Nasreen
    Natalia Natalie Natasha Nathan Naveed Neil Ngozi Nia Niamh Nicholas Nick Nicky Nico Nicola Nicole Nigel Nikita
    Nikki Nina Noah Nora Norma Oisin Oliver Ollie Olumide Oluwaseun Omar Orla Oscar Osman Owen Padraig Paige Pamela
    Patricia Patrick Patryk Paul Paula Pauline Pearl Pete Peter Phil Philip Phillip Phoebe Piotr Pippa Presley Priya
    Rachael Rachel Rafael Raheem Rahul Rajesh Rashid Ravi Raymond Reanne Rebecca Rebekah Reece Reem Reggie Regina
    Rehana Reuben Rhiannon Rhodri Rhys Richard Ricky Riley Rita Robbie Robert Roberta Rocco Rochelle Rodney Roger
    Roisin Ronald Ronnie Rory Rosa Rosemary Rosie Ross Roxanne Roy Rukhsana Rupert Russell Ryan Sabrina Sadie Saima
    Sally Salma Sam Samantha Sameer Samuel Sana Sandra Sanjay Sara Sarah Scarlett Scott Seamus Sean Sebastian Seren
    Serena Shabana Shahid Shane Shanice Shannon Sharon Shaun Shauna Shay Shaz Sheila Shelby Shelley Sherry Sian
    Sienna Simon Simran Sinead Siobhan Sofia Sonia Sonny Sophia Sophie Spencer Stacey Ste Stella Steph Stephanie
    Stephen Steve Steven Stevie Stewart Stuart Sunil Sunita Susan Suzanne Sylvia Tadhg Tamara Tamika Tanya Tara
    Tariq Teddie Teddy Terence Teresa Terry Tess Tez Theo Thomas Tia Tiana Tiegan Tiffany Tilly Tim Timothy Tina
    Toby Todd Tom Tomasz Tommy Tommy-Lee Tomos Toni Tony Trace Tracey Tracy Trev Trevor Tristan Troy Tunde Tyler
    Tyreece Tyrese Usman Uzma Valerie Vanessa Vera Veronica Vic Vicky Vincent Viv Waqas Warren Wayne Wendy Wes
    William Yasir Yasmin Yusuf Yvonne Zachary Zack Zahid Zaid Zain Zainab Zak Zara Zara-Louise Zeynep Zoe Zoey Zofia
    """.lower().split()
)

#: Lower-case given names that are also words, months or places.
AMBIGUOUS_NAMES = frozenset(
    """
    Amber Angel April August Austin Autumn Bailey Beverley Bill Blessing Bob Brook Brooklyn Carol Carter Chance
    Chase Chelsea Chester Christian Clare Cliff Clifton Crystal Daisy Dallas Dawn Dean Denver Destiny Drew Faith
    Florence Frank Ginger Glen Grace Grant Guy Harley Harmony Hayden Hazel Heath Heather Holly Honor Hope Hunter
    Iris Ivy Jack Jade Jordan Joy June Kendal Kit Liberty Lily Lincoln Mark Mason Max May Melody Mercedes Miles
    Misty Olive Paris Pat Patience Penny Poppy Precious Preston Rich River Robin Rose Rowan Ruby Sage Sandy Shirley
    Sky Skye Stanley Star Sterling Storm Sue Summer Sunny Sydney Taylor Tyrone Victoria Violet Wade Will Willow Wren
    """.lower().split()
)
